import Foundation

/// Cleans up one field's text according to its ``FieldType``.
///
///     let amount = FieldNormalizer(field: "amount", type: .money)
///     try amount.normalize("1.234,50 €")      // "1234.50"
///     let day = FieldNormalizer(field: "date", type: .date, dateFormats: ["dd.MM.yyyy"])
///     try day.normalize(" 05.11.2026 ")        // "2026-11-05"
///     let start = FieldNormalizer(field: "start", type: .datetime, timeZone: TimeZone(identifier: "Europe/Vienna"))
///     try start.normalize("2024-01-08 08:00:00")  // "2024-01-08T08:00:00+01:00"
///
/// An empty value stays empty unless the field is required. Values are never guessed at: text that
/// does not fit the type is an error naming the field, the value and what was expected.
public struct FieldNormalizer: Sendable {
    public var field: String
    public var type: FieldType
    public var required: Bool
    /// For dates and times: the patterns tried in order (`yyyy-MM-dd`, or for times
    /// `yyyy-MM-dd HH:mm:ss` and `yyyy-MM-dd'T'HH:mm:ss`, when none are given).
    public var dateFormats: [String]
    /// For times: the zone the source's clock times are in. Without one, a time stays a wall-clock
    /// time (`2024-01-08T08:00:00`), unless its pattern reads a zone from the text (`XXX`), which then
    /// is written in UTC (`2024-01-08T07:00:00Z`).
    public var timeZone: TimeZone?

    /// The patterns a time is read in when the flow gives none: ISO 8601's order, so nothing is guessed.
    public static let defaultTimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"]

    public init(field: String, type: FieldType, required: Bool = false, dateFormats: [String] = [], timeZone: TimeZone? = nil) {
        self.field = field
        self.type = type
        self.required = required
        self.dateFormats = !dateFormats.isEmpty ? dateFormats : type == .datetime ? Self.defaultTimeFormats : ["yyyy-MM-dd"]
        self.timeZone = timeZone
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
        case .datetime:
            return try moment(text)
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

    /// A time in one of the patterns, as ISO 8601: with the zone's offset when the field has a zone.
    private func moment(_ text: String) throws(NormalizationError) -> String {
        let utc = TimeZone(identifier: "UTC")!
        for pattern in dateFormats {
            let readsZone = pattern.contains(where: { "XxZzO".contains($0) })
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone ?? utc
            formatter.dateFormat = pattern
            formatter.isLenient = false
            guard let date = formatter.date(from: text), formatter.string(from: date) == text || Self.sameDay(formatter, date, text) || readsZone else { continue }
            let output = DateFormatter()
            output.locale = Locale(identifier: "en_US_POSIX")
            output.calendar = Calendar(identifier: .gregorian)
            switch (timeZone, readsZone) {
            case (let zone?, _):
                output.timeZone = zone
                output.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxxxx"
            case (nil, true):
                output.timeZone = utc
                output.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
            case (nil, false):
                output.timeZone = utc
                output.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
            }
            return output.string(from: date)
        }
        let patterns = dateFormats.map { "'\($0)'" }.joined(separator: " or ")
        throw NormalizationError(field: field, value: text, problem: "is not a date and time in the format \(patterns)")
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
