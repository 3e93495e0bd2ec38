/// A name with a template: a `set:` assignment, a `write:` column.
public struct NamedTemplate: Hashable, Sendable {
    public var name: String
    public var value: Template
    /// Where the name was written.
    public var location: SourceLocation

    public init(name: String, value: Template, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}
