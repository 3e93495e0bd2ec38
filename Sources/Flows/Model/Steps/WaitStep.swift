/// `wait`: hold until the page is ready, up to the step's timeout.
///
///     wait: { visible: nav.logout, timeout: 10s }
///     wait: { hidden: page.spinner }
///     wait: { page: url, contains: "/appointments" }
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
    }

    public var condition: Condition

    public init(_ condition: Condition) { self.condition = condition }
}
