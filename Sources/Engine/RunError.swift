/// A run that could not start or continue: a flow that does not load, a missing secret or input,
/// a store that cannot be written, a run that cannot be resumed.
public struct RunError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
