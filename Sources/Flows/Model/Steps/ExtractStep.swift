/// `extract`: read records from the page into a variable.
///
///     extract: { table: appointments.table, into: appointments, next: appointments.next_page }
///     extract: { fields: { shown: appointments.summary }, into: summary }
///
/// A table gives one record per body row, named by its header cells in snake_case ("Patient ID" →
/// `patient_id`); `columns:` lists the ones the flow relies on, checked on every page. `next:` follows
/// a pagination link until it is gone (at most `max_pages`). Fields give one record.
public struct ExtractStep: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case table(SelectorReference, columns: [String]?, next: SelectorReference?, maxPages: Int)
        case fields([NamedSelector])
    }

    public var source: Source
    /// The variable that receives the records.
    public var into: String

    public init(source: Source, into: String) {
        self.source = source
        self.into = into
    }

    /// How many pages `next:` follows when `max_pages` is not given.
    public static let defaultMaxPages = 100

    /// The fields records will have, when the flow says (`columns:` or `fields:`).
    public var knownFields: [String]? {
        switch source {
        case .table(_, let columns, _, _): columns
        case .fields(let fields): fields.map(\.name)
        }
    }
}
