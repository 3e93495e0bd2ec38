/// The CSS subset maintainers use to point at parts of a page, compiled to XPath for libxml2.
///
///     try CSSSelector.xpath("table#appointments > tbody > tr")
///     // descendant::tr[parent::tbody[parent::table[@id='appointments']]]
///
/// Supported:
/// - type `td`, universal `*`, `#id`, `.class`;
/// - attributes `[attr]`, `[attr=value]`, `~=`, `|=`, `^=`, `$=`, `*=`, with an `i` flag for ASCII
///   case-insensitive values (`[type=submit i]`); values quoted or not;
/// - combinators: descendant (space), child `>`, adjacent `+`, general sibling `~`; lists with `,`;
/// - `:nth-child(an+b)`, `:nth-last-child()`, `:nth-of-type()`, `:nth-last-of-type()` (`odd`, `even`,
///   `3`, `2n+1`, `-n+3`), `:first-child`, `:last-child`, `:only-child`, `:first-of-type`,
///   `:last-of-type`, `:only-of-type`, `:not(compound)`;
/// - a final `::attr(name)` to select an attribute's value (`a.next::attr(href)`).
///
/// Anything else (`:hover`, `:has()`, namespaces) is an `.invalidSelector` error whose `column` points
/// at the problem; write such queries as `xpath=`.
///
/// The XPath is built to stay fast on libxml2, whose `descendant::` steps taken from many context nodes
/// merge their results with a quadratic duplicate check (`td//text()` over 29,000 rows: 34 s). So the
/// subject is one `descendant::` step from the context node and everything to its left becomes
/// predicates that look up the tree (`ancestor::`, `parent::`, `preceding-sibling::*[1]`), the way
/// browsers match right to left; a list becomes one step with `self::` alternatives, not a union. Costs:
/// `:nth-child(b)` looks at b siblings; `:nth-child(an+b)` on the subject uses `position()`, elsewhere it
/// counts preceding siblings (slow in a 10,000-row table, and stopped by the query budget if so).
public enum CSSSelector {
    /// The XPath 1.0 expression selecting, from a context node, the elements (or attributes) `css` matches.
    public static func xpath(_ css: String) throws(ExtractError) -> String {
        var parser = CSSParser(css)
        let selectors = try parser.parseList()
        return CSSXPathCompiler().compile(selectors)
    }

    /// Both compilations: the XPath for all matches, and an id-table lookup for the first match at
    /// document level when the subject has an `#id` (see `CSSXPathCompiler.firstMatchByID`).
    static func compile(_ css: String) throws(ExtractError) -> (xpath: String, firstByID: String?) {
        var parser = CSSParser(css)
        let selectors = try parser.parseList()
        let compiler = CSSXPathCompiler()
        return (compiler.compile(selectors), compiler.firstMatchByID(selectors))
    }
}
