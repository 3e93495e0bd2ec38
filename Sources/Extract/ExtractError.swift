/// A document that could not be read, or a query that could not run on it.
///
/// Every error names what it was reading (`subject`: a file, a URL, a selector or an expression), says
/// what went wrong and what to do next (`message`), and carries an open `code` to match on:
///
///     do {
///         let rows = try page.table("table#appointments")
///     } catch let error where error.code == .noMatch {
///         // the selector broke: the page changed
///     }
///
/// `line` and `column` locate the problem when there is a place to point at: the column of a CSS
/// selector's bad character, the line of a CSV row.
public struct ExtractError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is; open, so new kinds do not break callers that match on some.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(name: String) { self.name = name }

        /// The bytes are not a document libxml2 can read (empty, truncated, not HTML/XML at all).
        public static let unreadableDocument = Code(name: "unreadable document")
        /// The document is over the size limit and was refused before parsing.
        public static let documentTooLarge = Code(name: "document too large")
        /// The document nests elements deeper than libxml2's limit (256); it was refused, not truncated.
        public static let documentTooDeep = Code(name: "document too deep")
        /// The XPath expression is not valid XPath 1.0.
        public static let invalidXPath = Code(name: "invalid XPath")
        /// The CSS selector is outside Ferry's subset or malformed; `column` points at the problem.
        public static let invalidSelector = Code(name: "invalid selector")
        /// The query ran past its time budget and was stopped.
        public static let queryTooSlow = Code(name: "query too slow")
        /// The selector matched nothing on the page.
        public static let noMatch = Code(name: "no match")
        /// The selector matched an element that is neither a table nor holds one.
        public static let notATable = Code(name: "not a table")
        /// The table is too wide to be data (spans adding up to thousands of columns).
        public static let tableTooWide = Code(name: "table too wide")
        /// A CSV row has a different number of fields than the header; `line` is where it starts.
        public static let raggedRow = Code(name: "ragged row")
        /// A CSV file is malformed beyond recovery (a quote that never closes); `line` is where it starts.
        public static let malformedCSV = Code(name: "malformed CSV")
        /// The report's format could not be told from its name or content, or is not supported.
        public static let unsupportedFormat = Code(name: "unsupported format")
        /// The file could not be opened or read.
        public static let unreadableFile = Code(name: "unreadable file")
        /// Following "next" links went past the page cap while pages remained.
        public static let pageCapReached = Code(name: "page cap reached")
        /// Pages of one paginated table have different columns.
        public static let inconsistentPages = Code(name: "inconsistent pages")

        public var description: String { name }
    }

    public let code: Code
    /// What was being read or queried: a file path, a URL, a selector or an expression.
    public let subject: String
    /// What went wrong and what to do about it, for a person.
    public let message: String
    /// The 1-based line of the problem (a CSV row), when there is one.
    public let line: Int?
    /// The 1-based column of the problem (a character of a selector), when there is one.
    public let column: Int?

    public init(code: Code, subject: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        var place = subject
        if let line { place += ", line \(line)" }
        if let column { place += ", column \(column)" }
        return "\(code) (\(place)): \(message)"
    }
}
