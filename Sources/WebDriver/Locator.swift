/// How to find an element: the selector syntax maintainers write in flow files.
///
/// - `#save`, `input[name=pwd]`: CSS (the default)
/// - `xpath=//button[.='Save']`: XPath
/// - `text=Export CSV`: the innermost element whose whole text (or button value) is exactly that
/// - `label=Password`: the form control labelled so
/// - `link=Log out`: a link by its exact text
///
/// `text=` and `label=` compile to one XPath, so each costs one round trip.
public enum Locator: Hashable, Sendable, CustomStringConvertible {
    case css(String)
    case xpath(String)
    case text(String)
    case label(String)
    case linkText(String)

    /// Parses the selector syntax above.
    public init(_ selector: String) {
        if let rest = selector.dropPrefix("xpath=") {
            self = .xpath(rest)
        } else if let rest = selector.dropPrefix("text=") {
            self = .text(rest)
        } else if let rest = selector.dropPrefix("label=") {
            self = .label(rest)
        } else if let rest = selector.dropPrefix("link=") {
            self = .linkText(rest)
        } else if let rest = selector.dropPrefix("css=") {
            self = .css(rest)
        } else {
            self = .css(selector)
        }
    }

    /// A W3C location strategy and its value.
    ///
    /// Related W3C documentation: https://www.w3.org/TR/webdriver2/#locator-strategies
    public struct Strategy: Sendable, Hashable {
        /// `css selector`, `xpath` or `link text`.
        public let using: String
        public let value: String

        /// The value for a search below an element: an absolute XPath is made relative to it.
        public var relativeValue: String {
            using == "xpath" && value.hasPrefix("/") ? "." + value : value
        }
    }

    /// The strategy chromedriver is asked to use.
    public var strategy: Strategy {
        switch self {
        case .css(let css):
            return Strategy(using: "css selector", value: css)
        case .linkText(let text):
            return Strategy(using: "link text", value: text)
        case .xpath, .text, .label:
            return pageQuery
        }
    }

    /// The same search expressed as CSS or XPath, for scripts that look inside the page themselves.
    public var pageQuery: Strategy {
        switch self {
        case .css(let css):
            return Strategy(using: "css selector", value: css)
        case .xpath(let xpath):
            return Strategy(using: "xpath", value: xpath)
        case .linkText(let text):
            return Strategy(using: "xpath", value: "//a[normalize-space(.)=\(Locator.xpathLiteral(text))]")
        case .text(let text):
            // Things a person acts on win over mere text (a "Sign in" button over a "Sign in" heading);
            // other elements match only when no such control does. Still one XPath, one round trip.
            let literal = Locator.xpathLiteral(text)
            let matches = "(normalize-space(.)=\(literal) or ((self::input or self::button) and normalize-space(@value)=\(literal)))"
            let control = "(self::button or self::a or self::label or self::option or self::summary or self::input[@type='submit' or @type='button' or @type='reset'] or @role='button' or @role='link' or @onclick)"
            let innermost = "not(.//*[normalize-space(.)=\(literal)])"
            return Strategy(
                using: "xpath",
                value: "//*[\(control) and \(matches)] | //*[\(matches) and \(innermost) and not(//*[\(control) and \(matches)])]")
        case .label(let text):
            let literal = Locator.xpathLiteral(text)
            let control = "(self::input or self::select or self::textarea)"
            return Strategy(
                using: "xpath",
                value: "//*[\(control) and (@id=//label[normalize-space(.)=\(literal)]/@for or ancestor::label[normalize-space(.)=\(literal)] or @aria-label=\(literal))]"
            )
        }
    }

    public var description: String {
        switch self {
        case .css(let css): css
        case .xpath(let xpath): "xpath=\(xpath)"
        case .text(let text): "text=\(text)"
        case .label(let text): "label=\(text)"
        case .linkText(let text): "link=\(text)"
        }
    }

    /// An XPath 1.0 string literal for any text, quotes included.
    static func xpathLiteral(_ text: String) -> String {
        if !text.contains("'") { return "'\(text)'" }
        if !text.contains("\"") { return "\"\(text)\"" }
        let parts = text.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }
        return "concat(" + parts.joined(separator: ", \"'\", ") + ")"
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
