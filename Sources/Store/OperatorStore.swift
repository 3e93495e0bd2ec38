import Foundation

/// What the operators' tools keep beyond runs: accounts, signed-in sessions, schedules, and the
/// queries and changes behind operator actions. Every change writes its audit row in the same transaction.
public protocol OperatorStore: RunStore {
    // MARK: Accounts
    /// Adds a user, or replaces the role and password of an existing one.
    func saveUser(_ account: OperatorAccount, actor: String) throws(StoreError)
    func user(named name: String) throws(StoreError) -> OperatorAccount?
    func users() throws(StoreError) -> [OperatorAccount]

    // MARK: Sessions
    func createSession(_ session: OperatorSessionRecord) throws(StoreError)
    func session(tokenHash: String) throws(StoreError) -> OperatorSessionRecord?
    func deleteSession(tokenHash: String) throws(StoreError)
    func deleteSessions(expiredBefore date: Date) throws(StoreError)

    // MARK: Schedules
    func schedules() throws(StoreError) -> [ScheduleState]
    func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?) throws(StoreError) -> ScheduleState
    /// When the scheduler will next start the flow, for the dashboard (no audit row: it is derived).
    func setNextDue(flow: String, nextDue: Date?) throws(StoreError)

    // MARK: Items and runs, for operators
    /// Puts an item in error or review back in the queue (`new`), replacing payload fields given in `fields`.
    func requeueItem(id: Int64, fields: [String: String], actor: String, reason: String?) throws(StoreError) -> WorkItem
    func listItems(_ query: ItemQuery) throws(StoreError) -> (items: [ItemListing], total: Int)
    func listRuns(_ query: RunQuery) throws(StoreError) -> (runs: [RunRecord], total: Int)
    func itemCounts() throws(StoreError) -> [ItemState: Int]
    func itemsDone(since date: Date) throws(StoreError) -> Int
    func artifact(id: Int64) throws(StoreError) -> Artifact?
    /// The audit rows about a run: the run, its stages and steps, its items, artifacts and side effects; oldest first.
    func auditLog(aboutRun runID: String, limit: Int) throws(StoreError) -> [AuditEntry]
}
