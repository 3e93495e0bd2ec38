import Foundation
import Store

extension PostgresRunStore {
    public func recordInterruption(runIDs: [String], actor: String, reason: String, owner: ClaimOwner) throws(StoreError) {
        guard !closedForWrites.load(ordering: .acquiring) else { return }
        try write { transaction in
            let now = Date()
            var released = false
            for runID in runIDs {
                released = try Self.interrupt(runID: runID, actor: actor, reason: reason, owner: owner, at: now, in: transaction) || released
            }
            if released { try transaction.notifyWork("interrupted") }
        }
        // Writes that started before this point and commit after it are refused at their commit.
        closedForWrites.store(true, ordering: .releasing)
    }

    /// Returns whether items were put back.
    private static func interrupt(runID: String, actor: String, reason: String, owner: ClaimOwner, at now: Date, in transaction: PostgresTransaction) throws -> Bool {
        guard let state = try transaction.row("SELECT state FROM runs WHERE id = ? FOR UPDATE", [runID])?.text("state"),
            state == RunState.running.rawValue
        else { return false }
        try transaction.execute(
            "UPDATE runs SET state = ?, finished_at = ?, current_step = NULL, failure = ? WHERE id = ?",
            [RunState.interrupted.rawValue, StoreTimestamp.string(now), reason, runID])
        try transaction.appendAudit(
            AuditEvent(actor: actor, entityType: "run", entityID: runID, fromState: state, toState: RunState.interrupted.rawValue, reason: reason),
            at: now)
        let claimed = try transaction.rows(
            "SELECT id, key, claimed_by FROM work_items WHERE run_id = ? AND state = 'processing' ORDER BY id FOR UPDATE", [runID])
        var released = false
        for row in claimed {
            let id = try row.int64("id")
            let worker = try row.optionalText("claimed_by")
            guard owner.holds(worker) else { continue }
            released = true
            try transaction.execute(
                "UPDATE work_items SET state = 'new', claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?",
                [StoreTimestamp.string(now), id])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: ItemState.processing.rawValue,
                           toState: ItemState.new.rawValue, reason: "claim of \(worker ?? "a worker") released: \(reason)",
                           payload: ["key": try row.text("key"), "run": runID]),
                at: now)
        }
        let locks = try transaction.rows("SELECT name FROM locks WHERE holder = ? ORDER BY name", [runID]).map { try $0.text("name") }
        for lock in locks {
            try transaction.execute("DELETE FROM locks WHERE name = ? AND holder = ?", [lock, runID])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "lock", entityID: lock, fromState: "held", toState: "released",
                           reason: "held by run \(runID): \(reason)"),
                at: now)
        }
        return released
    }
}
