/// A step's use of a selector key (`click: entry.save`), with where it was written.
///
/// Steps never hold CSS or XPath themselves: the `selectors:` map is the one place a maintainer edits
/// when the UI changes, and the validator checks every key used there is defined.
public struct SelectorReference: Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var location: SourceLocation

    public init(key: String, location: SourceLocation) {
        self.key = key
        self.location = location
    }

    public var description: String { key }
}
