/// One selector of a comma-separated list: compound selectors joined by combinators
/// (`table#data > tbody tr:nth-child(odd)`), optionally ending in `::attr(name)`.
struct CSSComplexSelector: Hashable {
    /// How two compound selectors relate.
    enum Combinator: Hashable {
        /// `a b`: b is somewhere inside a.
        case descendant
        /// `a > b`: b is a child of a.
        case child
        /// `a + b`: b immediately follows a.
        case adjacentSibling
        /// `a ~ b`: b follows a, with the same parent.
        case generalSibling
    }

    /// The compound selectors, left to right; the last one is the subject (what is selected).
    var compounds: [CSSCompoundSelector]
    /// `combinators[i]` joins `compounds[i]` and `compounds[i + 1]`.
    var combinators: [Combinator]
    /// The attribute `::attr(name)` selects from the subject instead of the element itself.
    var attribute: String?

    var subject: CSSCompoundSelector { compounds[compounds.count - 1] }
}
