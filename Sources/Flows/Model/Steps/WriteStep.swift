/// `write`: save records as a CSV run artifact, for a bulk `upload`.
///
///     write:
///       from: entries
///       file: entries.csv
///       columns: { appointment_id: "${row.appointment_id}", amount: "${row.amount}" }
///
/// Each column is a template evaluated once per record, with the record as `row`; the header is the
/// column names, in order.
public struct WriteStep: Hashable, Sendable {
    /// The records variable.
    public var from: String
    public var file: Template
    public var columns: [NamedTemplate]

    public init(from: String, file: Template, columns: [NamedTemplate]) {
        self.from = from
        self.file = file
        self.columns = columns
    }
}
