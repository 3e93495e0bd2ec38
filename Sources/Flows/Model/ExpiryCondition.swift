/// `expired_when:`: how a page shows that the target system's session has ended, so a run logs in
/// again and goes back to where it was instead of failing.
///
///     - name: ledger_login
///       session: true
///       expired_when: { url: "/login", element: ledger.login.form }
///
///     defaults:
///       expired_when: { element: login.form }     # every session stage without its own
///
/// The session counts as expired when the browser's URL matches `url` (a regular expression searched
/// anywhere in the URL, query included) **or** an element of the selector key `element` is on the page.
/// Give `element` for a system that shows its login form at the page's own URL, with no redirect.
///
/// Without `expired_when:` (on the stage or under `defaults:`), the sign is the login page itself: the
/// URL equals the session stage's first `goto`, query and fragment ignored.
public struct ExpiryCondition: Hashable, Sendable {
    /// Matched against the whole current URL.
    public var url: Pattern?
    /// A selector key whose element, when present, means the login form is showing.
    public var element: SelectorReference?
    public var location: SourceLocation

    public init(url: Pattern? = nil, element: SelectorReference? = nil, location: SourceLocation) {
        self.url = url
        self.element = element
        self.location = location
    }
}
