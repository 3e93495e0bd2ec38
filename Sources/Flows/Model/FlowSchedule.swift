/// When a flow runs on its own: `schedule:` in the flow file, run by `ferry serve`.
///
///     schedule:
///       daily: "05:30"                  # or cron: "30 5 * * 1-5"
///       timezone: Europe/Berlin
///       deadline: "07:30"               # must have finished by then (local time, same day)
///       skip: ["2026-12-25", "2026-12-26"]
///       maintenance: ["Sun 01:00-04:00", "23:30-23:59"]
///
/// A run missed while nothing was serving starts late if its deadline has not passed, never twice;
/// no run starts inside a maintenance window or on a skipped day, and those raise no alert.
public struct FlowSchedule: Hashable, Sendable {
    /// A local time of day.
    public struct TimeOfDay: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var hour: Int
        public var minute: Int

        public init(hour: Int, minute: Int) {
            self.hour = hour
            self.minute = minute
        }

        /// `05:30`; nil unless HH:MM within a day.
        public init?(parsing text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
                (0...23).contains(hour), (0...59).contains(minute)
            else { return nil }
            self.init(hour: hour, minute: minute)
        }

        public var minutes: Int { hour * 60 + minute }
        public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
        public var description: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
    }

    /// When the flow is due.
    public enum Times: Hashable, Sendable {
        case daily(TimeOfDay)
        case cron(CronExpression)
    }

    /// A span of local time in which no run starts, every day or on one weekday.
    public struct MaintenanceWindow: Hashable, Sendable, CustomStringConvertible {
        /// 0 = Sunday ... 6 = Saturday; nil for every day.
        public var weekday: Int?
        public var start: TimeOfDay
        public var end: TimeOfDay

        public init(weekday: Int?, start: TimeOfDay, end: TimeOfDay) {
            self.weekday = weekday
            self.start = start
            self.end = end
        }

        static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

        /// `Sun 01:00-04:00` or `23:30-23:59`.
        public init?(parsing text: String) {
            let parts = text.split(separator: " ")
            var span = Substring(text)
            var weekday: Int?
            if parts.count == 2 {
                guard let day = Self.weekdays.firstIndex(of: String(parts[0].prefix(3)).lowercased()) else { return nil }
                weekday = day
                span = parts[1]
            } else if parts.count != 1 {
                return nil
            }
            let ends = span.split(separator: "-")
            guard ends.count == 2, let start = TimeOfDay(parsing: String(ends[0])), let end = TimeOfDay(parsing: String(ends[1])), start < end else { return nil }
            self.init(weekday: weekday, start: start, end: end)
        }

        public func contains(weekday: Int, time: TimeOfDay) -> Bool {
            (self.weekday == nil || self.weekday == weekday) && start <= time && time < end
        }

        public var description: String {
            (weekday.map { Self.weekdays[$0].capitalized + " " } ?? "") + "\(start)-\(end)"
        }
    }

    public var times: Times
    /// An IANA time zone name.
    public var timeZone: String
    public var deadline: TimeOfDay?
    /// `yyyy-MM-dd` days without a run (holidays).
    public var skip: Set<String>
    public var maintenance: [MaintenanceWindow]
    public var location: SourceLocation

    public init(times: Times, timeZone: String, deadline: TimeOfDay? = nil, skip: Set<String> = [], maintenance: [MaintenanceWindow] = [], location: SourceLocation) {
        self.times = times
        self.timeZone = timeZone
        self.deadline = deadline
        self.skip = skip
        self.maintenance = maintenance
        self.location = location
    }
}
