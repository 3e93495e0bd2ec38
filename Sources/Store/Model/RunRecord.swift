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
    /// The process running it was stopped (SIGTERM, Ctrl-C): its browsers ended and its items went back
    /// to the queue; `ferry resume` continues it.
    case interrupted

    /// Whether the run has come to an end (it may still be resumed after `failed` or `interrupted`).
    public var isFinished: Bool { self != .running }

    /// Whether `ferry resume` can continue the run.
    public var isResumable: Bool { self != .succeeded }
}

/// One run of a flow: the daily sync of one day, say.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
    public var flow: String
    /// The flow file the run was started from, so `resume` can load it again: absolute, so the run can
    /// be resumed from any folder (runs recorded before Ferry kept it absolute may hold a relative path).
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
    /// SHA-256 of the flow's files as the run loaded them (the flow file, then each included file);
    /// nil for runs recorded before Ferry kept it.
    public var flowSHA256: String?
    /// The flow's stages and steps as the run loaded them, to say what changed before a resume.
    public var flowOutline: FlowOutline?
    /// The run's `--runs` folder, absolute (downloads and records are under `<runs>/<run id>`).
    public var runsDirectory: String?
    /// The run's `--screenshots` folder, absolute.
    public var screenshotsDirectory: String?

    public init(
        id: String, flow: String, flowPath: String, inputs: [String: String], state: RunState = .running,
        trigger: RunTrigger, triggeredBy: String, startedAt: Date = Date(), finishedAt: Date? = nil,
        currentStage: String? = nil, currentStep: String? = nil, failure: String? = nil, processGroup: Int32? = nil,
        flowSHA256: String? = nil, flowOutline: FlowOutline? = nil, runsDirectory: String? = nil, screenshotsDirectory: String? = nil
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
        self.flowSHA256 = flowSHA256
        self.flowOutline = flowOutline
        self.runsDirectory = runsDirectory
        self.screenshotsDirectory = screenshotsDirectory
    }
}
