import Foundation
import Logging
import Transport

/// Sends W3C WebDriver commands to one remote end over one kept-alive connection, and turns every
/// failure into a ``WebDriverError``.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#protocol
public struct WebDriverClient: Sendable {
    /// The remote end's base URL, e.g. `http://127.0.0.1:9515` or a Selenium Grid's `http://grid:4444/wd/hub`.
    public let baseURL: String
    let transport: any HTTPTransport
    let logger: Logger?
    /// Values redacted from every logged command and every error message.
    public let secrets: SecretValues

    public init(baseURL: String, transport: any HTTPTransport, logger: Logger? = nil, secrets: SecretValues = SecretValues()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.logger = logger
        self.secrets = secrets
    }

    /// How long a new connection to the remote end may take. chromedriver listens with a backlog of 5:
    /// while it is too busy to accept (a loaded machine starting several browsers), the kernel drops
    /// further connection attempts, and the client's retries come after 1 s, 3 s, 7 s... A 5-second
    /// limit called a live, busy chromedriver unreachable. A driver that is gone refuses at once, so a
    /// long limit costs nothing there.
    public static let connectTimeout: Duration = .seconds(30)

    /// A client with its own libcurl connection.
    public init(baseURL: String, logger: Logger? = nil, secrets: SecretValues = SecretValues()) throws(WebDriverError) {
        do {
            let transport = try CurlTransport(timeout: .seconds(120), connectTimeout: Self.connectTimeout, logger: nil)
            self.init(baseURL: baseURL, transport: transport, logger: logger, secrets: secrets)
        } catch {
            throw WebDriverError(code: .unreachable, command: "connect", message: "\(error)")
        }
    }

    /// Sends a command and returns its `value`.
    /// - Parameters:
    ///   - method: `GET`, `POST` or `DELETE`.
    ///   - path: the path under the base URL, e.g. `/session/abc/url`.
    ///   - body: the JSON parameters; POST commands without parameters send `{}`.
    @discardableResult
    public func execute(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws(WebDriverError) -> JSONValue {
        let command = "\(method) \(path)"
        let payload: JSONValue? = body ?? (method == "POST" ? JSONValue.object([:]) : Optional<JSONValue>.none)
        let request = HTTPRequest(
            method: method, url: baseURL + path,
            headers: payload == nil ? [] : [("Content-Type", "application/json; charset=utf-8")],
            body: payload?.encoded())
        let started = ContinuousClock.now
        let response: HTTPResponse
        do throws(TransportError) {
            response = try await sendRetryingTransientFailures(request)
        } catch {
            throw WebDriverError(
                code: .unreachable, command: command,
                message: "no answer from the WebDriver remote end at \(baseURL) (\(error.code): \(error.detail)); is chromedriver or the grid running?")
        }
        if let logger, logger.logLevel <= .debug {
            let parameters = payload.map { secrets.redact(String(decoding: $0.encoded(), as: UTF8.self)).prefix(300) } ?? ""
            logger.debug("\(command) \(parameters) -> \(response.status) in \(started.duration(to: .now))")
        }
        guard let json = JSONValue.decode(response.body) else {
            throw WebDriverError(
                code: .protocolViolation, command: command,
                message: "HTTP \(response.status) with a body that is not JSON: \(response.text.prefix(200))")
        }
        let value = json["value"] ?? .null
        // W3C errors come with a 4xx or 5xx status; a script may well return an object with an `error` key.
        if (200..<300).contains(response.status) {
            return value
        }
        let code = value["error"]?.string.map(WebDriverError.Code.init) ?? .unknownError
        let message = value["message"]?.string ?? "HTTP \(response.status)"
        throw WebDriverError(code: code, command: command, message: secrets.redact(WebDriverClient.firstLines(of: message)))
    }

    /// Resends a request once when the connection failed before any answer (a dropped keep-alive socket).
    private func sendRetryingTransientFailures(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch where error.isTransient && error.code == .connectionBroken {
            return try await transport.send(request)
        }
    }

    /// chromedriver appends a long native stack trace to messages; a person needs the first lines.
    static func firstLines(of message: String) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
        let kept = lines.prefix { !$0.hasPrefix("Stacktrace:") && !$0.hasPrefix("#0 ") }
        return kept.prefix(3).joined(separator: " ")
    }
}
