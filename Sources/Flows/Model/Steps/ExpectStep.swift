/// `expect`: check the page is as it should be (waiting up to the timeout), capturing values from it.
///
///     expect: { element: nav.logout }
///     expect: { absent: entry.errors }
///     expect: { attached: filter.chosen }
///     expect: { count: { of: results.rows, at_least: 300 } }
///     expect: { text: entry.confirmation, matches: "Saved entry (L-\\d+)", capture: ledger_id }
///     expect: { page: url, contains: "/entries" }
///
/// `capture:` names the pattern's groups, in order; each becomes a variable (`${vars.ledger_id}`).
public struct ExpectStep: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        /// The element is on the page.
        case element(SelectorReference)
        /// The element is not on the page.
        case absent(SelectorReference)
        /// The element's text matches.
        case text(SelectorReference, TextMatcher)
        /// The page's URL or title matches.
        case page(PageProperty, TextMatcher)
        /// The element is in the page, visible or not.
        case attached(SelectorReference)
        /// The selector matches that many elements.
        case count(SelectorReference, ElementCount)
    }

    public var subject: Subject
    /// Variable names for the pattern's groups 1, 2, ...
    public var captures: [String]

    public init(subject: Subject, captures: [String] = []) {
        self.subject = subject
        self.captures = captures
    }
}
