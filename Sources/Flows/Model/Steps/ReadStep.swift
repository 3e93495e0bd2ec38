/// `read`: turn a downloaded report into records.
///
///     read: { file: appointments.csv, as: csv, into: appointments, columns: [appointment_id, patient_name] }
///     read:
///       file: billing.xml
///       as: xml
///       into: billing
///       rows: "//line"
///       fields: { appointment_id: "@appointment_id", amount: "amount" }
///
/// CSV headers become field names as they are (in snake_case); `columns:` lists those the flow relies
/// on, and the run fails clearly when the report no longer has one. XML and HTML reports name a row
/// XPath and a relative XPath per field.
public struct ReadStep: Hashable, Sendable {
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case csv
        case xml
        case html
    }

    public var file: Template
    public var format: Format
    public var into: String
    /// CSV: the header fields the flow relies on.
    public var columns: [String]?
    /// CSV: the field separator; detected (`,` `;` tab `|`) unless given.
    public var delimiter: String?
    /// XML/HTML: the XPath that selects one node per record.
    public var rows: String?
    /// XML/HTML: each field's XPath, relative to the row.
    public var fields: [NamedXPath]

    public init(
        file: Template, format: Format, into: String, columns: [String]? = nil, delimiter: String? = nil,
        rows: String? = nil, fields: [NamedXPath] = []
    ) {
        self.file = file
        self.format = format
        self.into = into
        self.columns = columns
        self.delimiter = delimiter
        self.rows = rows
        self.fields = fields
    }

    /// The fields records will have, when the flow says.
    public var knownFields: [String]? {
        format == .csv ? columns : fields.map(\.name)
    }
}
