import Foundation

/// The state of one stage or step of a run (or of one step for one work item).
public enum CheckpointState: String, Sendable, Codable {
    case started, completed, failed, skipped
}

/// A durable record that a stage or step reached a state. Written in the same transaction as its audit row.
public struct Checkpoint: Sendable, Hashable, Codable {
    public var runID: String
    public var stage: String
    /// The step's index in its stage, or `nil` for the stage itself.
    public var step: Int?
    /// The work item the step ran for, or `nil` outside per-item stages.
    public var itemKey: String?
    public var state: CheckpointState
    /// How many times it has been attempted.
    public var attempt: Int
    public var updatedAt: Date
    /// A short description for people (what the step did, or why it failed).
    public var detail: String?

    public init(runID: String, stage: String, step: Int? = nil, itemKey: String? = nil, state: CheckpointState,
                attempt: Int = 1, updatedAt: Date = Date(), detail: String? = nil) {
        self.runID = runID
        self.stage = stage
        self.step = step
        self.itemKey = itemKey
        self.state = state
        self.attempt = attempt
        self.updatedAt = updatedAt
        self.detail = detail
    }
}
