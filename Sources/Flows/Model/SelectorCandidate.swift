import WebDriver

/// One way to find an element, as written in `selectors:` (`#save`, `text=Save`, `xpath=//...`).
public struct SelectorCandidate: Hashable, Sendable, CustomStringConvertible {
    /// The text as written.
    public var source: String
    /// What the browser is asked for.
    public var locator: Locator
    public var location: SourceLocation

    public init(source: String, location: SourceLocation) {
        self.source = source
        self.locator = Locator(source)
        self.location = location
    }

    public var description: String { source }
}
