/// What a field's text is meant to be, and so how it is cleaned up: the vocabulary of `normalize`.
public enum FieldType: String, Hashable, Sendable, CaseIterable {
    /// Trimmed, with runs of white space (no-break spaces too) collapsed into one space.
    case text
    /// A day in one of the given patterns, rewritten as ISO 8601 `yyyy-MM-dd`.
    case date
    /// A moment: a day and a time of day in one of the given patterns (`yyyy-MM-dd HH:mm:ss` unless
    /// said), rewritten as ISO 8601 `2024-01-08T08:00:00`, with the offset of its time zone when the
    /// field names one (`2024-01-08T08:00:00+01:00`).
    case datetime
    /// An amount of money in any common spelling (`1.234,50 €`, `EUR 1,234.50`, `(12.00)`), rewritten
    /// exactly as `1234.50`: no currency, no thousands separators, always two decimals.
    case money
    /// A whole number, rewritten without signs of formatting (`1 234` → `1234`).
    case integer
}
