/// A template or condition that could not be evaluated at run time: a value missing or of the wrong kind.
///
/// Messages name the reference, never a secret's value.
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The template or condition text (never rendered values).
    public var source: String
    public var location: SourceLocation?

    public init(_ message: String, source: String, location: SourceLocation? = nil) {
        self.message = message
        self.source = source
        self.location = location
    }

    public var description: String {
        (location.map { "\($0): " } ?? "") + "\(message) (in '\(source)')"
    }
}
