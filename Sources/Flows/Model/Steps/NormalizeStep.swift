import Extract

/// `normalize`: clean up the fields of records before anything is built from them.
///
///     normalize:
///       records: billing
///       fields:
///         amount: { type: money, required: true }
///         date: { type: date, formats: ["dd.MM.yyyy", "yyyy-MM-dd"] }
///         start: { type: datetime, formats: ["yyyy-MM-dd HH:mm:ss"], timezone: Europe/Vienna }
///         patient_name: text
///       invalid: review
///
/// Text is trimmed and its white space collapsed; dates become `yyyy-MM-dd`; money becomes exact
/// decimal text (`1234.50`); times become ISO 8601 (`2024-01-08T08:00:00+01:00`); a required field may not be empty. A record that does not fit is marked
/// for review with the reason (its work item goes to needs_review), skipped, or stops the run, as
/// `invalid:` says. The step's `reason:` (the record is `row`) goes before what did not fit.
public struct NormalizeStep: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public var name: String
        public var type: FieldType
        public var required: Bool
        /// Dates and times: the patterns the source writes them in.
        public var formats: [String]
        /// Times: the IANA name of the zone the source's clock times are in (`Europe/Vienna`).
        public var timeZone: String?
        public var location: SourceLocation

        public init(name: String, type: FieldType, required: Bool = false, formats: [String] = [], timeZone: String? = nil, location: SourceLocation) {
            self.name = name
            self.type = type
            self.required = required
            self.formats = formats
            self.timeZone = timeZone
            self.location = location
        }
    }

    /// What happens to a record with a value that does not fit.
    public enum Invalid: String, Hashable, Sendable, CaseIterable {
        /// The record is kept as it came, marked with the reason; its work item goes to needs_review.
        case review
        /// The record is dropped (and counted in the audit log).
        case skip
        /// The run stops, naming the record, the field and the value.
        case fail
    }

    /// The records variable, normalised in place.
    public var records: String
    public var fields: [Field]
    public var invalid: Invalid

    public init(records: String, fields: [Field], invalid: Invalid = .review) {
        self.records = records
        self.fields = fields
        self.invalid = invalid
    }

    /// The field a record carries its review reason in, until `items` turns it into needs_review.
    /// Field names from flows are snake_case starting with a letter, so this one never collides.
    public static let reviewField = "_review"
}
