import Foundation

/// How a run came to be.
public enum RunTrigger: String, Sendable, Codable, CaseIterable {
    case schedule, `operator`, cli
}

/// Where a run is in its life.
public enum RunState: String, Sendable, Codable, CaseIterable {
    /// Stages are being worked through (or the process running it died: `ferry resume` continues it).
    case running
    /// Every stage finished and every item is done.
    case succeeded
    /// Every stage finished, and some items wait for a person (`needs_review`).
    case needsReview = "needs_review"
    /// A stage failed for good; `ferry resume` retries from it.
    case failed

    /// Whether the run has come to an end (it may still be resumed after `failed`).
    public var isFinished: Bool { self != .running }
}

/// One run of a flow: the daily sync of one day, say.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
    public var flow: String
    /// The flow file the run was started from, so `resume` can load it again.
    public var flowPath: String
    public var inputs: [String: String]
    public var state: RunState
    public var trigger: RunTrigger
    /// Who started it: `cli:alice`, `operator:bob`, `schedule`.
    public var triggeredBy: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var currentStage: String?
    public var currentStep: String?
    /// Why the run failed, for people.
    public var failure: String?
    /// The browser process group of the process running it, so a later resume can reap what a kill left.
    public var processGroup: Int32?

    public init(
        id: String, flow: String, flowPath: String, inputs: [String: String], state: RunState = .running,
        trigger: RunTrigger, triggeredBy: String, startedAt: Date = Date(), finishedAt: Date? = nil,
        currentStage: String? = nil, currentStep: String? = nil, failure: String? = nil, processGroup: Int32? = nil
    ) {
        self.id = id
        self.flow = flow
        self.flowPath = flowPath
        self.inputs = inputs
        self.state = state
        self.trigger = trigger
        self.triggeredBy = triggeredBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.currentStage = currentStage
        self.currentStep = currentStep
        self.failure = failure
        self.processGroup = processGroup
    }
}
