/// How ``ReportReader`` reads a downloaded report; every field has a sensible default.
public struct ReportOptions: Sendable, Hashable {
    /// CSV: the field separator; `nil` detects `,`, `;`, tab or `|` from the header line (or an Excel `sep=;` line).
    public var delimiter: Character?
    /// CSV, HTML, XML: the text encoding; `nil` detects it (a byte-order mark, else UTF-8 when the bytes
    /// are valid UTF-8, else Windows-1252).
    public var encoding: TextEncoding?
    /// CSV: whether the first record names the columns (else they are `column 1`, `column 2`, ...).
    public var hasHeader: Bool
    /// CSV: accept rows with more or fewer fields than the header (listed in ``RecordSet/raggedRows``)
    /// instead of failing with `.raggedRow`.
    public var allowRaggedRows: Bool
    /// CSV: trim spaces and tabs around each field (RFC 4180 keeps them).
    public var trimFields: Bool
    /// HTML: the table's selector (CSS or `xpath=`); `nil` reads the table with the most rows.
    public var table: String?
    /// HTML: how the table becomes records.
    public var tableOptions: TableOptions
    /// XML: the repeated record element, by name (`line`) or by XPath (`//line`, `xpath=//x:line`); `nil`
    /// finds the most repeated element near the root. HTML: a selector for non-table records (with `fields`).
    public var recordElement: String?
    /// The fields of each record, by selector relative to it, in column order. XML: XPath (`@invoice`,
    /// `amount`, `address/city`); HTML: CSS or `xpath=`. `nil` takes every attribute and child element
    /// (XML) or the table's columns (HTML).
    public var fields: [FieldSelector]?
    /// The largest file read; a bigger one is refused with `.documentTooLarge`.
    public var sizeLimit: Int

    public init(
        delimiter: Character? = nil, encoding: TextEncoding? = nil, hasHeader: Bool = true, allowRaggedRows: Bool = false,
        trimFields: Bool = false, table: String? = nil, tableOptions: TableOptions = TableOptions(), recordElement: String? = nil,
        fields: [FieldSelector]? = nil, sizeLimit: Int = 256 * 1024 * 1024
    ) {
        self.fields = fields
        self.delimiter = delimiter
        self.encoding = encoding
        self.hasHeader = hasHeader
        self.allowRaggedRows = allowRaggedRows
        self.trimFields = trimFields
        self.table = table
        self.tableOptions = tableOptions
        self.recordElement = recordElement
        self.sizeLimit = sizeLimit
    }
}
