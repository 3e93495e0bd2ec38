/// A `${...}` template or a condition that does not parse, with where in its text the problem is.
public struct TemplateSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what to write instead.
    public var message: String
    /// Where, in characters from the start of the text.
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}
