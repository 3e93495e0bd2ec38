import Foundation

/// Timestamps as the store writes them: ISO 8601 in UTC with milliseconds (`2026-11-23T05:30:00.125Z`),
/// which sort correctly as text.
public enum StoreTimestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    public static func string(_ date: Date) -> String {
        date.formatted(style)
    }

    public static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        return try? style.parse(text)
    }
}
