import Foundation
import Logging
import Transport

/// Posts alerts as JSON to a webhook: Ferry's own shape, or Slack's (`{"text": …}`), rate-limited so a
/// failing night sends one message per reason, not hundreds. Delivery is retried with backoff.
public actor WebhookAlerts: AlertSink {
    public enum Format: String, Sendable, CaseIterable {
        /// `{"kind": …, "flow": …, "run_id": …, "step": …, "reason": …, "screenshot": …, "link": …, "at": …}`.
        case json
        /// `{"text": "…"}`, which Slack and compatible chats accept.
        case slack
    }

    public let url: String
    public let format: Format
    /// The same kind, flow and reason are sent at most once in this interval.
    public let minimumInterval: Duration
    public let attempts: Int
    public let backoff: Duration
    private let logger: Logger
    private var lastSent: [String: ContinuousClock.Instant] = [:]
    /// What happened to each alert: for `ferry` to report and tests to read.
    public private(set) var delivered: [Alert] = []
    public private(set) var suppressed = 0
    public private(set) var failed = 0

    public init(url: String, format: Format = .json, minimumInterval: Duration = .seconds(600), attempts: Int = 4, backoff: Duration = .seconds(2), logger: Logger = Logger(label: "ferry.alerts")) {
        self.url = url
        self.format = format
        self.minimumInterval = minimumInterval
        self.attempts = attempts
        self.backoff = backoff
        self.logger = logger
    }

    public func send(_ alert: Alert) async {
        let key = "\(alert.kind.rawValue)|\(alert.flow)|\(alert.reason)"
        let now = ContinuousClock.now
        if let last = lastSent[key], now - last < minimumInterval {
            suppressed += 1
            logger.info("alert not sent again within \(minimumInterval): \(alert.headline)")
            return
        }
        lastSent[key] = now
        let body = Self.body(alert, format: format)
        for attempt in 1...max(1, attempts) {
            do {
                let transport = try CurlTransport()
                let response = try await transport.send(
                    HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: body, timeout: .seconds(10)))
                if (200..<300).contains(response.status) {
                    delivered.append(alert)
                    return
                }
                logger.warning("the alert webhook answered HTTP \(response.status) (attempt \(attempt) of \(attempts)): \(alert.headline)")
            } catch {
                logger.warning("the alert webhook could not be reached (attempt \(attempt) of \(attempts)): \(error)")
            }
            if attempt < attempts { try? await Task.sleep(for: backoff * (1 << (attempt - 1))) }
        }
        failed += 1
        logger.error("gave up delivering an alert after \(attempts) attempts: \(alert.headline) — \(alert.reason)")
    }

    static func body(_ alert: Alert, format: Format) -> Data {
        switch format {
        case .json:
            var object: [String: String] = ["kind": alert.kind.rawValue, "flow": alert.flow, "reason": alert.reason, "at": alert.at.formatted(.iso8601)]
            object["run_id"] = alert.runID
            object["step"] = alert.step
            object["screenshot"] = alert.screenshot
            object["link"] = alert.link
            return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        case .slack:
            var lines = ["*\(alert.headline)*", alert.reason]
            if let step = alert.step { lines.append("Step: \(step)") }
            if let screenshot = alert.screenshot { lines.append("Screenshot: \(screenshot)") }
            if let link = alert.link { lines.append("<\(link)|Open the run>") }
            return (try? JSONSerialization.data(withJSONObject: ["text": lines.joined(separator: "\n")], options: [.sortedKeys])) ?? Data()
        }
    }
}
