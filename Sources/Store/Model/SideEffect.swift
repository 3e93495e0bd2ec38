import Foundation

/// A change made to a target system (an upload, a saved entry), recorded before and after acting so
/// that a crash in between is noticed and checked before the change is repeated.
public struct SideEffect: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// Recorded before acting: it may or may not have happened.
        case intended
        /// Done, with its result (a confirmation number).
        case done
    }

    /// The idempotency key: the same key is never acted on twice.
    public var key: String
    public var runID: String
    public var stage: String
    public var step: Int
    public var itemKey: String?
    public var state: State
    public var result: String?
    public var createdAt: Date
    public var completedAt: Date?
}
