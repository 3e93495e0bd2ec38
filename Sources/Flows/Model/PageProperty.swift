/// What `expect` and `wait` can check about the page as a whole.
public enum PageProperty: String, Hashable, Sendable, CaseIterable {
    /// The current URL.
    case url
    /// The document title.
    case title
}
