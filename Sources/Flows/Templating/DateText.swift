import Foundation

/// Dates as templates write them: `yyyy-MM-dd` days and ISO 8601 times.
enum DateText {
    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    static func day(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func timestamp(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    /// A `yyyy-MM-dd` day as the start of that day, or nil.
    static func parseDay(_ text: String, in timeZone: TimeZone) -> Date? {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
            let year = Int(pieces[0]), let month = Int(pieces[1]), let day = Int(pieces[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar(timeZone).date(from: components),
            calendar(timeZone).component(.day, from: date) == day
        else { return nil }
        return date
    }

    static func parseTimestamp(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }

    /// A wall-clock time without a zone (`2024-01-08T08:00:00`, as `normalize` writes a `datetime`
    /// whose zone the flow does not give), taken in `timeZone`.
    static func parseWallClock(_ text: String, in timeZone: TimeZone) -> Date? {
        guard text.count == 19, text.dropFirst(10).first == "T" else { return nil }
        let formatter = wallClockFormatter(timeZone)
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    private static func wallClockFormatter(_ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter
    }

    /// Moves a day by whole days, or a time by any duration; nil when the text is neither.
    static func shift(_ text: String, by duration: FlowDuration, forward: Bool, in timeZone: TimeZone) -> String? {
        let sign: Int64 = forward ? 1 : -1
        if let day = parseDay(text, in: timeZone) {
            guard duration.isWholeDays else { return nil }
            let days = Int(sign * duration.milliseconds / 86_400_000)
            return calendar(timeZone).date(byAdding: .day, value: days, to: day).map { self.day($0, in: timeZone) }
        }
        if let time = parseTimestamp(text) {
            return timestamp(time.addingTimeInterval(Double(sign * duration.milliseconds) / 1000), in: timeZone)
        }
        if let time = parseWallClock(text, in: timeZone) {
            return wallClockFormatter(timeZone).string(from: time.addingTimeInterval(Double(sign * duration.milliseconds) / 1000))
        }
        return nil
    }

    /// The offset a timestamp was written with, in seconds (`+01:00` → 3600, `Z` → 0); nil without one.
    static func offset(of text: String) -> Int? {
        guard text.count > 19, text.dropFirst(10).first == "T" else { return nil }
        let tail = text.dropFirst(19)
        if tail == "Z" { return 0 }
        let parts = tail.dropFirst().split(separator: ":")
        guard let sign = tail.first, sign == "+" || sign == "-", parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// A day or time written in another pattern (`dd.MM.yyyy`).
    static func format(_ text: String, pattern: String, in timeZone: TimeZone) -> String? {
        guard let date = parseDay(text, in: timeZone) ?? parseTimestamp(text) ?? parseWallClock(text, in: timeZone) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        // A time that carries its offset (`…T08:00:00+01:00`) is shown as its clock said it.
        formatter.timeZone = offset(of: text).flatMap(TimeZone.init(secondsFromGMT:)) ?? timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
