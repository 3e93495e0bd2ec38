/// `write`: save records as a CSV run artifact, for a bulk `upload`.
///
///     write:
///       from: entries
///       file: entries.csv
///       where: row.status == 'attended'
///       columns: { appointment_id: "${row.appointment_id}", day: "${row.start | date('dd.MM.yyyy')}" }
///     write: { from: entries, file: entries.csv, columns: [appointment_id, amount] }
///
/// Each column is a template evaluated once per record, with the record as `row` (a list of field
/// names copies those fields); the header is the column names, in order. With `where:`, only the
/// records for which it holds are written.
public struct WriteStep: Hashable, Sendable {
    /// The records variable.
    public var from: String
    public var file: Template
    public var columns: [NamedTemplate]
    /// Only records for which this holds are written.
    public var filter: Condition?

    public init(from: String, file: Template, columns: [NamedTemplate], filter: Condition? = nil) {
        self.from = from
        self.file = file
        self.columns = columns
        self.filter = filter
    }
}
