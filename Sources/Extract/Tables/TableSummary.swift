/// One table of a page, as `ferry extract PAGE` lists it so a maintainer can pick a selector.
public struct TableSummary: Sendable, Hashable {
    /// 1-based position among the page's tables, in document order.
    public let index: Int
    /// A selector that reaches it (`table#id`, `table.class`, or `xpath=(//table)[n]`).
    public let selector: String
    /// How many records it reads as.
    public let rowCount: Int
    public let columns: [String]
    /// Whether it sits inside another table (layout tables wrap data tables in legacy pages).
    public let isNested: Bool
    /// Whether it holds other tables, as a layout table does.
    public let containsTables: Bool
}
