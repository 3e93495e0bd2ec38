import Foundation

/// Where a work item is: `new -> processing -> done | error | needs_review`.
public enum ItemState: String, Sendable, Codable, CaseIterable {
    case new, processing, done, error
    case needsReview = "needs_review"
}

/// One unit of business work inside a run: one appointment, one billing line.
public struct WorkItem: Sendable, Hashable, Codable {
    public var id: Int64
    public var runID: String
    /// The business key (an appointment id); unique within a run, so adding the same record twice adds nothing.
    public var key: String
    public var payload: [String: String]
    public var state: ItemState
    public var attempts: Int
    public var lastError: String?
    public var claimedBy: String?
    public var claimedAt: Date?
    public var updatedAt: Date

    public init(id: Int64, runID: String, key: String, payload: [String: String], state: ItemState, attempts: Int,
                lastError: String?, claimedBy: String?, claimedAt: Date?, updatedAt: Date) {
        self.id = id
        self.runID = runID
        self.key = key
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.updatedAt = updatedAt
    }
}

/// A record to turn into a work item.
public struct NewWorkItem: Sendable, Hashable {
    public var key: String
    public var payload: [String: String]
    /// Items the flow already knows need a person (a missing amount) start in `needs_review` with this reason.
    public var reviewReason: String?

    public init(key: String, payload: [String: String], reviewReason: String? = nil) {
        self.key = key
        self.payload = payload
        self.reviewReason = reviewReason
    }
}
