import Foundation

/// Cleans up one field's text according to its ``FieldType``.
///
///     let amount = FieldNormalizer(field: "amount", type: .money)
///     try amount.normalize("1.234,50 €")      // "1234.50"
///     let day = FieldNormalizer(field: "date", type: .date, dateFormats: ["dd.MM.yyyy"])
///     try day.normalize(" 05.11.2026 ")        // "2026-11-05"
///
/// An empty value stays empty unless the field is required. Values are never guessed at: text that
/// does not fit the type is an error naming the field, the value and what was expected.
public struct FieldNormalizer: Sendable {
    public var field: String
    public var type: FieldType
    public var required: Bool
    /// For dates: the patterns tried in order (`yyyy-MM-dd` when none are given).
    public var dateFormats: [String]

    public init(field: String, type: FieldType, required: Bool = false, dateFormats: [String] = []) {
        self.field = field
        self.type = type
        self.required = required
        self.dateFormats = dateFormats.isEmpty ? ["yyyy-MM-dd"] : dateFormats
    }

    public func normalize(_ raw: String) throws(NormalizationError) -> String {
        let text = Self.collapsingSpace(raw)
        if text.isEmpty {
            if required { throw NormalizationError(field: field, value: "", problem: "it is required") }
            return ""
        }
        switch type {
        case .text:
            return text
        case .date:
            return try day(text)
        case .money:
            guard let cents = Self.cents(text) else {
                throw NormalizationError(field: field, value: text, problem: "is not an amount of money (like 1234.50 or 1.234,50 €)")
            }
            return Self.decimalText(cents: cents)
        case .integer:
            let grouped = Self.isGrouped(text) ? (text.hasPrefix("-") ? "-" : "") + text.filter(\.isNumber) : text
            guard let number = Int(grouped) else {
                throw NormalizationError(field: field, value: text, problem: "is not a whole number")
            }
            return String(number)
        }
    }

    // MARK: Text

    /// Trimmed; every run of white space, no-break spaces included, is one space.
    static func collapsingSpace(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace || character == "\u{00A0}" || character == "\u{202F}" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    // MARK: Dates

    private func day(_ text: String) throws(NormalizationError) -> String {
        for pattern in dateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = pattern
            formatter.isLenient = false
            // The whole text must be the pattern: a formatter alone accepts trailing rubbish.
            if let date = formatter.date(from: text), formatter.string(from: date) == text || Self.sameDay(formatter, date, text) {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                let parts = calendar.dateComponents([.year, .month, .day], from: date)
                return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            }
        }
        let patterns = dateFormats.map { "'\($0)'" }.joined(separator: " or ")
        throw NormalizationError(field: field, value: text, problem: "is not a date in the format \(patterns)")
    }

    /// Single-digit days and months (`5.11.2026` against `dd.MM.yyyy`) format back with a zero.
    private static func sameDay(_ formatter: DateFormatter, _ date: Date, _ text: String) -> Bool {
        return tokens(formatter.string(from: date)) == tokens(text)
    }

    /// Digit runs as numbers (so `05` and `5` agree) and everything between them as written.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inDigits = false
        for character in text {
            let isDigit = character.isASCII && character.isNumber
            if isDigit != inDigits, !current.isEmpty {
                tokens.append(inDigits ? String(Int(current) ?? -1) : current)
                current = ""
            }
            inDigits = isDigit
            current.append(character)
        }
        if !current.isEmpty { tokens.append(inDigits ? String(Int(current) ?? -1) : current) }
        return tokens
    }

    // MARK: Money

    /// Exact cents of an amount of money, or nil when the text is not one.
    ///
    /// The decimal separator is the last `.` or `,` followed by one or two digits at the end; every
    /// other `.`, `,`, `'`, space or no-break space is a thousands separator. A currency code or symbol
    /// may stand on either side; a minus sign or parentheses mean a negative amount.
    public static func cents(_ text: String) -> Int? {
        var body = collapsingSpace(text)
        var negative = false
        if body.hasPrefix("("), body.hasSuffix(")") {
            negative = true
            body = String(body.dropFirst().dropLast())
        }
        let currency = CharacterSet.letters.union(CharacterSet(charactersIn: "€$£¥"))
        body = body.trimmingCharacters(in: currency.union(.whitespaces))
        if body.hasPrefix("-") || body.hasPrefix("−") {
            negative.toggle()
            body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces)
        } else if body.hasSuffix("-") {
            negative.toggle()
            body = String(body.dropLast()).trimmingCharacters(in: .whitespaces)
        }
        body = body.trimmingCharacters(in: currency.union(.whitespaces))
        guard let first = body.first, first.isNumber, body.last?.isNumber == true else { return nil }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || ".,' ".contains($0)) }) else { return nil }

        var whole = body
        var fraction = ""
        if let separator = body.lastIndex(where: { $0 == "." || $0 == "," }) {
            let tail = body[body.index(after: separator)...]
            if tail.count <= 2, tail.allSatisfy(\.isNumber) {
                whole = String(body[..<separator])
                fraction = String(tail)
            }
        }
        // What is left of the separator may only group digits in threes.
        let groups = whole.split(omittingEmptySubsequences: false, whereSeparator: { ".,' ".contains($0) })
        if groups.contains(where: \.isEmpty) { return nil }
        if groups.count > 1, groups[0].count > 3 || groups.dropFirst().contains(where: { $0.count != 3 }) { return nil }
        let digits = groups.joined()
        guard !digits.isEmpty, digits.count <= 15, let units = Int(digits) else { return nil }
        let cents = units * 100 + (fraction.isEmpty ? 0 : Int(fraction.count == 1 ? fraction + "0" : fraction)!)
        return negative ? -cents : cents
    }

    /// `123456` → `1234.56`, `-5` → `-0.05`.
    public static func decimalText(cents: Int) -> String {
        let magnitude = cents.magnitude
        let text = "\(magnitude / 100)." + (magnitude % 100 < 10 ? "0" : "") + "\(magnitude % 100)"
        return cents < 0 ? "-" + text : text
    }

    private static func isGrouped(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? String(text.dropFirst()) : text
        let groups = body.split(separator: " ", omittingEmptySubsequences: false).count > 1 || body.contains(where: { ".,'".contains($0) })
            ? body.split(whereSeparator: { ".,' ".contains($0) }) : []
        return groups.count > 1 && groups.first!.allSatisfy(\.isNumber) && groups.first!.count <= 3
            && groups.dropFirst().allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) }
    }
}
