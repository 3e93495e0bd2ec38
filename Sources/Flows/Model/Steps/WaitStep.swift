/// `wait`: hold until the page is ready, up to the step's timeout.
///
///     wait: { visible: nav.logout, timeout: 10s }
///     wait: { hidden: page.spinner }
///     wait: { page: url, contains: "/appointments" }
///     wait: { attached: filter.chosen }         # in the page, shown or not (a selected <option>)
///     wait: { count: { of: results.rows, at_least: 300 } }
///     wait: { quiet: 500ms }                    # no request pending and no change for 500 ms
///     wait: 2s                                  # a plain pause; prefer waiting for something
public struct WaitStep: Hashable, Sendable {
    public enum Condition: Hashable, Sendable {
        /// Sleep this long.
        case pause(FlowDuration)
        /// Until the element is shown.
        case visible(SelectorReference)
        /// Until the element is gone or hidden.
        case hidden(SelectorReference)
        /// Until the URL or title matches.
        case page(PageProperty, TextMatcher)
        /// Until the element is in the page, visible or not.
        case attached(SelectorReference)
        /// Until the selector matches that many elements.
        case count(SelectorReference, ElementCount)
        /// Until the page has no fetch/XMLHttpRequest pending and its DOM has not changed for this long.
        case quiet(FlowDuration)
    }

    public var condition: Condition

    public init(_ condition: Condition) { self.condition = condition }
}
