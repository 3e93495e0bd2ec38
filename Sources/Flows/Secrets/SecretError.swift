/// A secret whose value could not be found when a run started. Names the secret and its source, never
/// a value.
public struct SecretError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// The environment variable is not set, or empty.
        public static let environmentVariableMissing = Code(name: "environment variable missing")
        /// The secrets file cannot be read.
        public static let fileUnreadable = Code(name: "secrets file unreadable")
        /// The secrets file has no such key.
        public static let keyMissing = Code(name: "key missing from secrets file")
        public var description: String { name }
    }

    public var code: Code
    /// The secret's name in the flow.
    public var secret: String
    public var source: SecretSource
    public var message: String

    public init(code: Code, secret: String, source: SecretSource, message: String) {
        self.code = code
        self.secret = secret
        self.source = source
        self.message = message
    }

    public var description: String { "secret '\(secret)' (\(source)): \(message)" }
}
