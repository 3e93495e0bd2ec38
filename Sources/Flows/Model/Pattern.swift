/// A regular expression written in a flow (`matches: "Saved entry (L-\\d+)"`), checked when loaded.
public struct Pattern: Hashable, Sendable, CustomStringConvertible {
    /// The expression, ICU syntax as `NSRegularExpression` reads it.
    public var source: String
    /// How many capture groups it has (what `capture:` can name).
    public var captureGroups: Int
    public var location: SourceLocation

    public init(source: String, captureGroups: Int, location: SourceLocation) {
        self.source = source
        self.captureGroups = captureGroups
        self.location = location
    }

    public var description: String { source }
}
