/// A selector as maintainers write it in flow files and on the command line: CSS by default,
/// XPath with an `xpath=` prefix, compiled to the XPath libxml2 runs.
///
///     try ElementSelector("table#appointments").xpath      // descendant::table[@id='appointments']
///     try ElementSelector("xpath=//table[2]").xpath         // //table[2]
///     try ElementSelector("//table[2]").xpath               // also XPath: CSS cannot start with `/`
///
/// `css=` forces CSS. `text=` and `label=` find elements in the live browser (WebDriver), not in a
/// saved page; here they are an error that says so.
public struct ElementSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case css
        case xpath
    }

    /// The selector as written.
    public let source: String
    public let kind: Kind
    /// The XPath that runs.
    public let xpath: String
    /// A faster XPath for the first match at document level, when there is one (an `#id` lookup).
    let firstMatchXPath: String?

    public init(_ source: String) throws(ExtractError) {
        self.source = source
        let trimmed = source.trimmingASCIIWhitespace()
        var firstMatch: String?
        if trimmed.hasPrefix("xpath=") {
            kind = .xpath
            xpath = String(trimmed.dropFirst(6))
        } else if trimmed.hasPrefix("/") || trimmed.hasPrefix("./") || trimmed.hasPrefix("(") || trimmed.hasPrefix("..") {
            kind = .xpath
            xpath = trimmed
        } else if trimmed.hasPrefix("text=") || trimmed.hasPrefix("label=") {
            throw ExtractError(
                code: .invalidSelector, subject: source,
                message: "text= and label= selectors find elements in the live browser; to extract from a page use CSS or xpath=",
                column: 1)
        } else {
            kind = .css
            let prefixed = trimmed.hasPrefix("css=")
            do {
                (xpath, firstMatch) = try CSSSelector.compile(prefixed ? String(trimmed.dropFirst(4)) : trimmed)
            } catch {
                // Columns count in the selector as written, prefix and leading spaces included.
                let leading = source.unicodeScalars.prefix { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }.count
                throw ExtractError(
                    code: error.code, subject: source, message: error.message,
                    column: error.column.map { $0 + leading + (prefixed ? 4 : 0) })
            }
        }
        firstMatchXPath = firstMatch
        if xpath.trimmingASCIIWhitespace().isEmpty {
            throw ExtractError(code: .invalidSelector, subject: source, message: "the selector is empty; write a CSS selector or xpath=...", column: 1)
        }
    }

    /// A CSS selector taken as CSS whatever it starts with.
    public init(css: String) throws(ExtractError) {
        source = css
        kind = .css
        (xpath, firstMatchXPath) = try CSSSelector.compile(css)
    }

    public var description: String { source }
}
