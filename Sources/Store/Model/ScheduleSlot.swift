import Foundation

/// One time a flow's schedule named, once some process has taken it.
public struct ScheduleSlot: Sendable, Hashable {
    public var flow: String
    /// The local time in the schedule's zone, like `2026-11-23T05:30`.
    public var slot: String
    /// `started`, `skipped: …`, `missed: …`.
    public var outcome: String
    public var runID: String?
    public var claimedAt: Date
    public var deadlineAlerted: Bool

    public init(flow: String, slot: String, outcome: String, runID: String?, claimedAt: Date, deadlineAlerted: Bool) {
        self.flow = flow
        self.slot = slot
        self.outcome = outcome
        self.runID = runID
        self.claimedAt = claimedAt
        self.deadlineAlerted = deadlineAlerted
    }
}
