import Foundation

/// A calendar day (no time, no time zone) as the clinic portal shows it: `2026-11-22`.
///
/// Day arithmetic uses Howard Hinnant's civil-calendar algorithms so the generator
/// does not depend on `Calendar` and gives the same data everywhere.
public struct ClinicDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid Gregorian date, or `nil` (e.g. for February 30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Today in `timeZone` (the machine's by default).
    public static func today(in timeZone: TimeZone = .current, now: Date = Date()) -> ClinicDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return ClinicDate(year: parts.year ?? 2003, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? ClinicDate(civilDays: 0)
    }

    /// `2026-11-22`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// `20261122`, as used inside appointment and invoice numbers.
    public var compact: String {
        String(format: "%04d%02d%02d", year, month, day)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool {
        // 1970-01-01 was a Thursday; 0 = Monday ... 6 = Sunday.
        let weekday = ((daysSinceEpoch % 7) + 7 + 3) % 7
        return weekday >= 5
    }

    /// The date `days` later (or earlier when negative).
    public func adding(days: Int) -> ClinicDate {
        ClinicDate(civilDays: daysSinceEpoch + days)
    }

    public static func < (lhs: ClinicDate, rhs: ClinicDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private init(civilDays: Int) {
        let z = civilDays + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
