import Foundation

/// Something a person must hear about without watching: a run failed, a deadline passed, the same
/// failure keeps coming back.
public struct Alert: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case runFailed = "run_failed"
        case deadlineMissed = "deadline_missed"
        case repeatedFailure = "repeated_failure"
    }

    public var kind: Kind
    public var flow: String
    public var runID: String?
    /// The step that failed, as the engine names it (stage, step, flow position).
    public var step: String?
    public var reason: String
    public var screenshot: String?
    /// Where to look: the run's page on the dashboard.
    public var link: String?
    public var at: Date

    public init(kind: Kind, flow: String, runID: String? = nil, step: String? = nil, reason: String, screenshot: String? = nil, link: String? = nil, at: Date = Date()) {
        self.kind = kind
        self.flow = flow
        self.runID = runID
        self.step = step
        self.reason = reason
        self.screenshot = screenshot
        self.link = link
        self.at = at
    }

    /// One line for a chat channel.
    public var headline: String {
        switch kind {
        case .runFailed: "Ferry: \(flow) failed" + (runID.map { " (run \($0))" } ?? "")
        case .deadlineMissed: "Ferry: \(flow) missed its deadline" + (runID.map { " (run \($0))" } ?? "")
        case .repeatedFailure: "Ferry: \(flow) keeps failing for the same reason"
        }
    }
}

/// Where alerts go. Sending never throws: an alert that cannot be delivered is logged and retried,
/// and never changes a run's outcome.
public protocol AlertSink: Sendable {
    func send(_ alert: Alert) async
}
