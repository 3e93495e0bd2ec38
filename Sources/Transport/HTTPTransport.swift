/// Sends HTTP requests. The seam between Ferry's protocol clients and the wire: ``CurlTransport``
/// in production, anything else where a test needs it.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
