import Store

/// Everything an operator can do to runs, items and schedules; the dashboard and the CLI both go
/// through ``OperatorActions/perform(_:by:reason:)``.
public enum OperatorAction: Sendable, Hashable {
    /// Put an item in error or review back in the queue, and work it again.
    case retryItem(Int64)
    /// A person checked the target and the change is not there: forget the item's recorded changes
    /// (its idempotency keys), put it back in the queue and make them again. Needs a reason.
    case redoItem(Int64)
    /// Resume a failed run from its failed stage (its items in error go back to the queue first).
    case retryRun(String)
    /// Edit an item's fields, then retry it. Needs a reason.
    case override(Int64, fields: [String: String])
    /// Mark an item done by hand (the work was done some other way). Needs a reason.
    case markDone(Int64)
    /// Send an item to a person (`needs_review`) with a note. Needs a reason.
    case escalate(Int64)
    case pauseSchedule(flow: String)
    case resumeSchedule(flow: String)
    /// Start a flow now, from its file, with inputs.
    case trigger(flowPath: String, inputs: [String: String])

    /// The role the action needs.
    public var requiredRole: OperatorRole { .operator }

    /// Whether the action is refused without a reason.
    public var needsReason: Bool {
        switch self {
        case .override, .markDone, .escalate, .redoItem: true
        default: false
        }
    }

    /// A short name for messages and the audit log: `retry`, `override`, `mark done`.
    public var name: String {
        switch self {
        case .retryItem, .retryRun: "retry"
        case .redoItem: "redo"
        case .override: "override"
        case .markDone: "mark done"
        case .escalate: "escalate"
        case .pauseSchedule: "pause schedule"
        case .resumeSchedule: "resume schedule"
        case .trigger: "trigger"
        }
    }
}

/// What an action did, and what should run next to finish it (the caller decides where: the CLI runs
/// it in-process and waits, the dashboard starts it in the background).
public struct ActionOutcome: Sendable {
    public enum FollowUp: Sendable, Hashable {
        /// Resume the run so its queued items (or its failed stage) are worked.
        case resumeRun(String)
        /// Start a new run of the flow.
        case startFlow(path: String, inputs: [String: String])
    }

    /// What happened, for the person: "item 42 is back in the queue".
    public var message: String
    public var followUp: FollowUp?

    public init(message: String, followUp: FollowUp? = nil) {
        self.message = message
        self.followUp = followUp
    }
}
