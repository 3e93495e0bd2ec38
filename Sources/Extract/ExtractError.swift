/// A document that could not be read, or a query that could not run on it.
public struct ExtractError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public static let unreadableDocument = Code(name: "unreadable document")
        public static let documentTooLarge = Code(name: "document too large")
        public static let invalidXPath = Code(name: "invalid XPath")
        public var description: String { name }
    }

    public let code: Code
    /// What was being read or queried: a file path, a URL, or the expression.
    public let subject: String
    public let message: String

    public init(code: Code, subject: String, message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(code) (\(subject)): \(message)" }
}
