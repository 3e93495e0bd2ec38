/// A request that got no HTTP answer: the remote end could not be reached, timed out, or broke off.
///
/// An HTTP error status is not a `TransportError`; it is an answer, returned as an ``HTTPResponse``.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, open to matching: `catch let error where error.code == .couldNotConnect`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public static let couldNotConnect = Code(name: "could not connect")
        public static let timedOut = Code(name: "timed out")
        public static let connectionBroken = Code(name: "connection broken")
        public static let invalidRequest = Code(name: "invalid request")
        public static let other = Code(name: "transport failure")
        public var description: String { name }
    }

    public let code: Code
    public let method: String
    public let url: String
    /// The underlying library's explanation, e.g. curl's error buffer.
    public let detail: String

    public init(code: Code, method: String, url: String, detail: String) {
        self.code = code
        self.method = method
        self.url = url
        self.detail = detail
    }

    /// Whether sending the same request again may succeed: the connection failed before an answer.
    public var isTransient: Bool { code == .couldNotConnect || code == .connectionBroken }

    public var description: String {
        "\(method) \(url): \(code): \(detail)"
    }
}
