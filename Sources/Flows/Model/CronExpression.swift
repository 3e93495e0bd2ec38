/// A five-field cron expression: minute, hour, day of month, month, day of week (0 or 7 = Sunday).
///
///     30 5 * * 1-5       05:30 on weekdays
///     0 */4 * * *        every four hours
///     15 6 1,15 * *      06:15 on the 1st and the 15th
///
/// As in cron, when both day fields are restricted a day matching either one is a match.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday ... 6 = Saturday.
    public let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool
    public let description: String

    /// Why a text is not a cron expression.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "a cron expression has five fields (minute hour day-of-month month day-of-week), like \"30 5 * * 1-5\"; found \(fields.count)")
        }
        minutes = try Self.field(fields[0], "minute", 0...59)
        hours = try Self.field(fields[1], "hour", 0...23)
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31)
        months = try Self.field(fields[3], "month", 1...12)
        daysOfWeek = Set(try Self.field(fields[4], "day of week", 0...7).map { $0 % 7 })
        dayOfMonthRestricted = fields[2] != "*"
        dayOfWeekRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    /// Whether a local time (minute precision) matches.
    public func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayOfMonth = daysOfMonth.contains(day)
        let dayOfWeek = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return dayOfMonth || dayOfWeek }
        return dayOfMonth && dayOfWeek
    }

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "the \(name) field '\(text)' has more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw ParseError(description: "the \(name) field '\(text)' needs a step above 0 after '/'") }
                step = parsed
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]), low <= high else {
                    throw ParseError(description: "the \(name) field '\(text)' has a range that is not low-high")
                }
                span = low...high
            } else {
                guard let value = Int(pieces[0]) else { throw ParseError(description: "the \(name) field '\(text)' is not a number, a range, a list or '*'") }
                span = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(span.lowerBound), range.contains(span.upperBound) else {
                throw ParseError(description: "the \(name) field '\(text)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }
}
