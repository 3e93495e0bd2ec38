import Foundation

/// Everything Ferry keeps about runs, durably. The engine, the CLI and the dashboard use only this
/// protocol, so a second backend (PostgreSQL, for workers on many machines) is an addition.
///
/// Every method that changes a state writes its audit row in the same transaction.
public protocol RunStore: Sendable {
    // MARK: Runs
    func createRun(_ run: RunRecord, actor: String) throws(StoreError) -> RunRecord
    func run(id: String) throws(StoreError) -> RunRecord?
    /// Newest first.
    func runs(flow: String?, limit: Int) throws(StoreError) -> [RunRecord]
    func updateRun(id: String, actor: String, reason: String?, _ change: @Sendable (inout RunRecord) -> Void) throws(StoreError) -> RunRecord
    /// Records that the process carrying out these runs is being stopped (SIGTERM, Ctrl-C), in one
    /// transaction: each run still `running` becomes `interrupted`, the items its workers in `owner` are
    /// working (`processing`) go back to `new`, and the locks it holds are released, each change with its
    /// audit row. Items that workers of other processes hold stay theirs.
    ///
    /// Afterwards this store refuses every write (``StoreError/Code/closed``): the process is ending, and
    /// what its workers still do while their browsers are stopped (a step failing on a closed browser)
    /// is the stop's doing, not the work's. Nothing happens when it was already called.
    func recordInterruption(runIDs: [String], actor: String, reason: String, owner: ClaimOwner) throws(StoreError)

    // MARK: Checkpoints
    func checkpoint(_ checkpoint: Checkpoint, actor: String) throws(StoreError)
    /// Writes several checkpoints, in order, in one transaction: one durable commit instead of one each
    /// (a step's completion and the next step's start, which nothing happens between).
    func checkpoint(_ checkpoints: [Checkpoint], actor: String) throws(StoreError)
    func checkpoints(runID: String) throws(StoreError) -> [Checkpoint]

    // MARK: Captured values
    func setVariables(_ values: [String: String], runID: String, actor: String) throws(StoreError)
    func variables(runID: String) throws(StoreError) -> [String: String]

    // MARK: Artifacts
    @discardableResult
    func recordArtifact(_ artifact: Artifact, actor: String) throws(StoreError) -> Artifact
    func artifacts(runID: String) throws(StoreError) -> [Artifact]

    // MARK: Work items
    /// Adds items by key; a key the run already has is left as it is. Returns how many were new.
    func addItems(_ items: [NewWorkItem], runID: String, actor: String) throws(StoreError) -> Int
    /// Atomically claims the oldest `new` item (or one whose claim expired before `leaseExpiredBefore`).
    func claimItem(runID: String, worker: String, leaseExpiredBefore: Date) throws(StoreError) -> WorkItem?
    func finishItem(id: Int64, state: ItemState, reason: String?, actor: String) throws(StoreError) -> WorkItem
    func item(id: Int64) throws(StoreError) -> WorkItem?
    func items(runID: String?, states: [ItemState]) throws(StoreError) -> [WorkItem]
    /// A worker's heartbeat: moves the claim it holds on an item forward to now, so no other worker takes
    /// it over while it is being worked. False when the claim is no longer this worker's (its lease expired
    /// and another worker took the item, or the item was finished or put back).
    func renewClaim(itemID: Int64, worker: String) throws(StoreError) -> Bool
    /// Puts back every item `worker` holds (`processing` → `new`), each with its audit row, in one
    /// transaction: a worker that stops cleanly frees its items at once instead of after the lease.
    /// Returns the items put back.
    func releaseClaims(worker: String, actor: String, reason: String) throws(StoreError) -> [WorkItem]
    /// Waits until items may have been added to or put back in any run's queue, or `timeout` has passed,
    /// so an idle worker neither polls in a tight loop nor sleeps through new work. A backend without
    /// notifications returns after a short poll interval; either way the caller claims again afterwards.
    func waitForWork(timeout: Duration) async

    // MARK: Side effects
    /// The effect recorded under an idempotency key, if any.
    func sideEffect(key: String) throws(StoreError) -> SideEffect?
    /// Effects recorded by one run, or for one work item key (any run), oldest first.
    func sideEffects(runID: String?, itemKey: String?) throws(StoreError) -> [SideEffect]
    /// Records the intent to act under `key`, just before acting: a new record, or an uncertain one
    /// (intended, acted, unconfirmed) set back to `intended` for this run. A confirmed (`done`) key is
    /// left alone and returned, so the caller never acts on it; nil otherwise.
    func recordIntent(key: String, runID: String, stage: String, step: Int, itemKey: String?, actor: String) throws(StoreError) -> SideEffect?
    /// Takes back an intent whose action never reached the target (the click was refused by the
    /// browser), so a retry acts again; a key in any other state is left alone.
    func withdrawIntent(key: String, actor: String, reason: String) throws(StoreError)
    /// Moves an effect to `acted`, `unconfirmed` or `done` (confirmed, with its result), with its audit row.
    func markSideEffect(key: String, state: SideEffect.State, result: String?, detail: String?, actor: String) throws(StoreError)
    /// Forgets the effects recorded for a work item key (an operator's redo: "it was not saved, do it
    /// again"), one audit row per key with the state it had. Returns the keys cleared.
    func clearSideEffects(itemKey: String, actor: String, reason: String) throws(StoreError) -> [String]

    // MARK: Figures

    /// How many runs each flow has in each state.
    func runCounts() throws(StoreError) -> [(flow: String, state: RunState, count: Int)]

    // MARK: Schedules

    /// Takes a schedule slot for a flow: true the first time, false when any process already took it,
    /// so a slot never runs twice. `outcome` says what became of it (started, skipped, missed).
    func claimSlot(flow: String, slot: String, outcome: String, runID: String?, actor: String) throws(StoreError) -> Bool
    /// Who took a slot and what became of it, or nil when nobody has.
    func slot(flow: String, slot: String) throws(StoreError) -> ScheduleSlot?
    /// The newest slot any process took for the flow.
    func lastSlot(flow: String) throws(StoreError) -> ScheduleSlot?
    /// Marks a slot's deadline alert as sent; true the first time only.
    func markDeadlineAlerted(flow: String, slot: String) throws(StoreError) -> Bool
    /// Takes a named lock (`flow:NAME` keeps two runs of a flow apart, `credential:HASH` two sessions
    /// of one account) for `holder` until `expires`; false when another holder has it unexpired.
    func acquireLock(_ name: String, holder: String, now: Date, expires: Date) throws(StoreError) -> Bool
    /// Who holds a lock, while it has not expired.
    func lockHolder(_ name: String, now: Date) throws(StoreError) -> String?
    func releaseLock(_ name: String, holder: String) throws(StoreError)
    /// Releases every lock a holder has (a run that ended).
    func releaseLocks(holder: String) throws(StoreError)

    // MARK: Audit
    func appendAudit(_ event: AuditEvent) throws(StoreError)
    /// Entries about one entity (or all when `nil`), oldest first.
    func auditLog(entityType: String?, entityID: String?, limit: Int) throws(StoreError) -> [AuditEntry]
    /// Entries about one run's stages, steps, gates and the run itself, oldest first.
    func auditLog(runID: String) throws(StoreError) -> [AuditEntry]
    func verifyAuditLog() throws(StoreError) -> AuditVerification
}
