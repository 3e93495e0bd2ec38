import Foundation

/// What the operators' tools keep beyond runs: accounts, signed-in sessions, schedules, and the
/// queries and changes behind operator actions. Every change writes its audit row in the same transaction.
public protocol OperatorStore: RunStore {
    // MARK: Accounts
    /// Adds a user, or replaces the role and password of an existing one.
    func saveUser(_ account: OperatorAccount, actor: String) throws(StoreError)
    func user(named name: String) throws(StoreError) -> OperatorAccount?
    func users() throws(StoreError) -> [OperatorAccount]
    /// Disables (or enables again) an account; disabling ends its sessions. Audited.
    func setUserDisabled(name: String, disabled: Bool, actor: String, origin: [String: String]) throws(StoreError)
    /// Deletes an account and its sessions. Audited.
    func deleteUser(name: String, actor: String, origin: [String: String]) throws(StoreError)

    // MARK: Sign-in throttle
    /// Counts an attempt for `name` from `address` before the password is checked (so parallel guesses
    /// cannot pass the limit), or refuses it. The first refusal writes one audit row; later ones are counted.
    func reserveSignInAttempt(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance
    /// After the right password: the attempt was not a failure. Counts the success (refused over `policy.successes`).
    func recordSignInSuccess(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance
    /// The locks in force now.
    func signInLocks(now: Date) throws(StoreError) -> [SignInLock]
    /// Lifts every lock on `name` (all addresses). Audited, with the refused attempts counted. Returns how many were lifted.
    @discardableResult
    func unlockSignIn(name: String, actor: String, origin: [String: String]) throws(StoreError) -> Int

    // MARK: Sessions
    func createSession(_ session: OperatorSessionRecord) throws(StoreError)
    func session(tokenHash: String) throws(StoreError) -> OperatorSessionRecord?
    func deleteSession(tokenHash: String) throws(StoreError)
    func deleteSessions(expiredBefore date: Date) throws(StoreError)

    // MARK: Schedules
    func schedules() throws(StoreError) -> [ScheduleState]
    func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?) throws(StoreError) -> ScheduleState
    /// The same, with where the change came from (`via`, and the person behind it) in the audit row's payload.
    func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?, origin: [String: String]) throws(StoreError) -> ScheduleState
    /// When the scheduler will next start the flow, for the dashboard (no audit row: it is derived).
    func setNextDue(flow: String, nextDue: Date?) throws(StoreError)

    // MARK: Items and runs, for operators
    /// Puts an item in error or review back in the queue (`new`), replacing payload fields given in `fields`.
    func requeueItem(id: Int64, fields: [String: String], actor: String, reason: String?) throws(StoreError) -> WorkItem
    /// Moves an item to `state` only if it is in one of `allowed` now: one compare-and-set
    /// (`UPDATE … WHERE state IN (allowed)`) in the same transaction as its audit row, so two people
    /// (or a person and a worker claiming it) cannot both change it. `fields` replaces payload fields;
    /// `origin` goes into the audit row's payload (the door and the person behind it).
    /// Throws ``StoreError/Code/conflict`` naming the current state when the item is in another state.
    func transitionItem(id: Int64, from allowed: Set<ItemState>, to state: ItemState, fields: [String: String], actor: String,
                        reason: String?, origin: [String: String]) throws(StoreError) -> WorkItem
    /// A run's stage and step checkpoints, without the per-item ones (thousands on a big run), in order.
    func runCheckpoints(runID: String) throws(StoreError) -> [Checkpoint]
    /// A run's first `limit` items by number, and how many it has.
    func runItems(runID: String, limit: Int) throws(StoreError) -> (items: [WorkItem], total: Int)
    func listItems(_ query: ItemQuery) throws(StoreError) -> (items: [ItemListing], total: Int)
    func listRuns(_ query: RunQuery) throws(StoreError) -> (runs: [RunRecord], total: Int)
    func itemCounts() throws(StoreError) -> [ItemState: Int]
    func itemsDone(since date: Date) throws(StoreError) -> Int
    func artifact(id: Int64) throws(StoreError) -> Artifact?
    /// The audit rows about a run: the run, its stages and steps, its items, artifacts and side effects; oldest first.
    func auditLog(aboutRun runID: String, limit: Int) throws(StoreError) -> [AuditEntry]
}
