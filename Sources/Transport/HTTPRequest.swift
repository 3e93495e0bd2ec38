import Foundation

/// An HTTP request as the transports send it: small, `Sendable`, and independent of any HTTP library.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// The longest the whole exchange may take; `nil` uses the transport's default.
    public var timeout: Duration?

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: Data? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// The answer to an ``HTTPRequest``.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names are lower-cased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data
    /// Whether this exchange had to open a new connection (false when a kept-alive one was reused).
    public var openedConnection: Bool

    public init(status: Int, headers: [String: String] = [:], body: Data = Data(), openedConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.openedConnection = openedConnection
    }

    /// The body decoded as UTF-8, replacing invalid bytes.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
