/// Records read from a table or a report: ordered column names and rows of strings.
///
///     let set = try page.table("table#appointments")
///     set.columns            // ["ID", "Patient", "Amount"]
///     set.rows[0]            // ["A-1", "Ada Lovelace", "12.50"]
///     set.records[0]["ID"]   // "A-1"
///
/// Column names are unique (readers rename a repeated header `Amount` to `Amount 2`, an empty one to
/// `column 3`), so `records` loses nothing. Rows normally have exactly `columns.count` values; a CSV
/// read with `allowRaggedRows` keeps each odd row as it was and lists it in ``raggedRows``.
public struct RecordSet: Sendable, Hashable {
    /// A row whose field count differs from the header's, kept because ragged rows were allowed.
    public struct RaggedRow: Sendable, Hashable {
        /// The row's index in ``RecordSet/rows``.
        public let row: Int
        /// The 1-based line of the source file where the row starts.
        public let line: Int
        /// How many fields the row had.
        public let fieldCount: Int

        public init(row: Int, line: Int, fieldCount: Int) {
            self.row = row
            self.line = line
            self.fieldCount = fieldCount
        }
    }

    public var columns: [String]
    public var rows: [[String]]
    /// Rows whose field count differs from the header's (only with `allowRaggedRows`; short ones are padded
    /// with empty strings, long ones keep their extra values beyond `columns`).
    public var raggedRows: [RaggedRow]

    public init(columns: [String], rows: [[String]], raggedRows: [RaggedRow] = []) {
        self.columns = columns
        self.rows = rows
        self.raggedRows = raggedRows
    }

    /// The number of rows.
    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }

    /// Each row as a dictionary keyed by column name (values beyond the columns are left out).
    public var records: [[String: String]] {
        rows.indices.map(record(at:))
    }

    /// One row as a dictionary keyed by column name.
    public func record(at index: Int) -> [String: String] {
        var record: [String: String] = [:]
        record.reserveCapacity(columns.count)
        for (column, value) in zip(columns, rows[index]) where record[column] == nil {
            record[column] = value
        }
        return record
    }

    /// All values of one column, or `nil` when there is no such column.
    public func values(of column: String) -> [String]? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows.map { index < $0.count ? $0[index] : "" }
    }

    /// Header texts made usable as keys: trimmed, empty ones named `column N` (1-based), repeats
    /// suffixed ` 2`, ` 3`, ...
    public static func uniqueColumnNames(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        result.reserveCapacity(names.count)
        for (index, raw) in names.enumerated() {
            let base = raw.trimmingASCIIWhitespace().isEmpty ? "column \(index + 1)" : raw.trimmingASCIIWhitespace()
            var name = base
            var suffix = 2
            while seen.contains(name) {
                name = "\(base) \(suffix)"
                suffix += 1
            }
            seen.insert(name)
            result.append(name)
        }
        return result
    }
}
