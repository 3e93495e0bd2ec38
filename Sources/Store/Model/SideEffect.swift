import Foundation

/// A change made to a target system (an upload, a saved entry), recorded under its idempotency key
/// as it goes: before acting, when the action returned, and when the steps that verify it passed.
///
/// Only a ``State/done`` (confirmed) effect stops a repeat. Anything short of it — an intent whose
/// action may or may not have reached the target, an action whose page answered 500 or whose
/// verification failed — is re-run from the item's or stage's start, so the flow's own guard (a
/// `done: … if:` that looks the change up in the target) decides; without a guard, a person decides.
public struct SideEffect: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Recorded before acting: it may or may not have happened.
        case intended
        /// The action returned (the click went through); its verification has not passed yet.
        case acted
        /// The action ran, but its verification failed, the process stopped, or the page answered 4xx/5xx:
        /// the target may or may not hold the change.
        case unconfirmed
        /// Confirmed: the steps that verify it passed. Never repeated.
        case done

        /// Whether the target may hold the change without Ferry knowing for sure.
        public var isUncertain: Bool { self != .done }
    }

    /// The idempotency key: the same key is never acted on twice once confirmed.
    public var key: String
    public var runID: String
    public var stage: String
    public var step: Int
    public var itemKey: String?
    public var state: State
    /// What confirmed it (a captured confirmation number).
    public var result: String?
    /// Why it is not confirmed (the verification's failure, the HTTP status the page answered).
    public var detail: String?
    public var createdAt: Date
    public var actedAt: Date?
    public var completedAt: Date?

    public init(
        key: String, runID: String, stage: String, step: Int, itemKey: String?, state: State, result: String? = nil,
        detail: String? = nil, createdAt: Date, actedAt: Date? = nil, completedAt: Date? = nil
    ) {
        self.key = key
        self.runID = runID
        self.stage = stage
        self.step = step
        self.itemKey = itemKey
        self.state = state
        self.result = result
        self.detail = detail
        self.createdAt = createdAt
        self.actedAt = actedAt
        self.completedAt = completedAt
    }
}
