import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A moment as file and run names carry it, in UTC: `20261123-190512`, or `20261123-190512-123` with
/// milliseconds. Sorts by time as text.
///
/// Formatted by hand from `gmtime_r`: a `DateFormatter` loads ICU's calendar data the first time,
/// which cost a run more CPU than several of its steps.
public enum FileNameTimestamp {
    public static func string(_ date: Date, milliseconds: Bool = false) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMilliseconds.quotientAndRemainder(dividingBy: 1000).quotient - (totalMilliseconds < 0 && totalMilliseconds % 1000 != 0 ? 1 : 0))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(parts.tm_year + 1900, 4) + padded(parts.tm_mon + 1, 2) + padded(parts.tm_mday, 2) + "-"
            + padded(parts.tm_hour, 2) + padded(parts.tm_min, 2) + padded(parts.tm_sec, 2)
        if milliseconds {
            text += "-" + padded(Int32((totalMilliseconds % 1000 + 1000) % 1000), 3)
        }
        return text
    }
}
