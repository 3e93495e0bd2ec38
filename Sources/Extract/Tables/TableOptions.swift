/// How a table becomes records.
public struct TableOptions: Sendable, Hashable {
    /// Where the column names come from.
    public enum Header: Sendable, Hashable {
        /// `thead` rows if any; else the leading rows made only of `th`; else the first row.
        case auto
        /// The first row, whatever its cells.
        case firstRow
        /// The first `n` rows (their texts joined per column: "Address City").
        case rows(Int)
        /// No header: columns are named `column 1`, `column 2`, ... and every row is data.
        case none
    }

    public var header: Header
    /// Keep `tfoot` rows (usually totals) as records.
    public var includeFooter: Bool
    /// Drop rows whose cells are all empty (spacer rows).
    public var skipEmptyRows: Bool
    /// Drop rows made of one cell spanning the whole width ("No appointments", group captions).
    public var skipFullWidthRows: Bool
    /// Drop data rows that repeat the header (printable reports repeat it every page).
    public var skipRepeatedHeaders: Bool

    public init(
        header: Header = .auto, includeFooter: Bool = false, skipEmptyRows: Bool = true, skipFullWidthRows: Bool = true,
        skipRepeatedHeaders: Bool = true
    ) {
        self.header = header
        self.includeFooter = includeFooter
        self.skipEmptyRows = skipEmptyRows
        self.skipFullWidthRows = skipFullWidthRows
        self.skipRepeatedHeaders = skipRepeatedHeaders
    }
}
