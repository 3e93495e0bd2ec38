import Foundation
import GRDB

extension SQLiteRunStore {
    public func recordInterruption(runIDs: [String], actor: String, reason: String, owner: ClaimOwner) throws(StoreError) {
        guard !closedForWrites.load(ordering: .acquiring) else { return }
        let path = database.path
        do {
            try database.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let now = Date()
                    for runID in runIDs {
                        try Self.interrupt(runID: runID, actor: actor, reason: reason, owner: owner, at: now, in: db)
                    }
                    return .commit
                }
                // Still inside the serialized write: every write queued behind this one now sees it.
                closedForWrites.store(true, ordering: .releasing)
            }
        } catch {
            throw StoreError(code: .databaseFailure, path: path, message: "\(error)")
        }
    }

    private static func interrupt(runID: String, actor: String, reason: String, owner: ClaimOwner, at now: Date, in db: Database) throws {
        guard let state = try String.fetchOne(db, sql: "SELECT state FROM runs WHERE id = ?", arguments: [runID]),
            state == RunState.running.rawValue
        else { return }
        try db.execute(
            sql: "UPDATE runs SET state = ?, finished_at = ?, current_step = NULL, failure = ? WHERE id = ?",
            arguments: [RunState.interrupted.rawValue, StoreTimestamp.string(now), reason, runID])
        try appendAudit(
            AuditEvent(actor: actor, entityType: "run", entityID: runID, fromState: state, toState: RunState.interrupted.rawValue,
                       reason: reason),
            at: now, in: db)
        let claimed = try Row.fetchAll(
            db, sql: "SELECT id, key, claimed_by FROM work_items WHERE run_id = ? AND state = 'processing'", arguments: [runID])
        for row in claimed {
            let id: Int64 = row["id"]
            let worker: String? = row["claimed_by"]
            guard owner.holds(worker) else { continue }
            try db.execute(
                sql: "UPDATE work_items SET state = 'new', claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?",
                arguments: [StoreTimestamp.string(now), id])
            try appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: ItemState.processing.rawValue,
                           toState: ItemState.new.rawValue, reason: "claim of \(worker ?? "a worker") released: \(reason)",
                           payload: ["key": row["key"], "run": runID]),
                at: now, in: db)
        }
        let locks = try String.fetchAll(db, sql: "SELECT name FROM locks WHERE holder = ? ORDER BY name", arguments: [runID])
        for lock in locks {
            try db.execute(sql: "DELETE FROM locks WHERE name = ? AND holder = ?", arguments: [lock, runID])
            try appendAudit(
                AuditEvent(actor: actor, entityType: "lock", entityID: lock, fromState: "held", toState: "released",
                           reason: "held by run \(runID): \(reason)"),
                at: now, in: db)
        }
    }

    static func closedError(path: String) -> StoreError {
        StoreError(code: .closed, path: path, message: "the process is being stopped and its runs were recorded as interrupted")
    }
}
