/// A record field taken from an element: `fields: { total: summary.total }` in `extract`.
public struct NamedSelector: Hashable, Sendable {
    public var name: String
    public var selector: SelectorReference

    public init(name: String, selector: SelectorReference) {
        self.name = name
        self.selector = selector
    }
}
