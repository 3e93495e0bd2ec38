import Foundation
import PostgresNIO
import Store

extension PostgresRunStore {
    /// `INSERT … ON CONFLICT DO NOTHING`: the primary key (flow, slot) lets exactly one process on any
    /// host take a slot; the others see no row inserted.
    public func claimSlot(flow: String, slot: String, outcome: String, runID: String?, actor: String) throws(StoreError) -> Bool {
        try write { transaction in
            let inserted = try transaction.execute(
                "INSERT INTO schedule_slots (flow, slot, outcome, run_id, claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (flow, slot) DO NOTHING",
                [flow, slot, outcome, runID, StoreTimestamp.string(Date())])
            guard inserted == 1 else { return false }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "schedule", entityID: "\(flow)@\(slot)", toState: outcome, reason: runID.map { "run \($0)" }))
            return true
        }
    }

    public func slot(flow: String, slot: String) throws(StoreError) -> ScheduleSlot? {
        try read { session in
            try session.row("SELECT * FROM schedule_slots WHERE flow = ? AND slot = ?", [flow, slot]).map(Self.scheduleSlot)
        }
    }

    public func lastSlot(flow: String) throws(StoreError) -> ScheduleSlot? {
        try read { session in
            try session.row("SELECT * FROM schedule_slots WHERE flow = ? ORDER BY slot DESC LIMIT 1", [flow]).map(Self.scheduleSlot)
        }
    }

    private static func scheduleSlot(_ row: PostgresRandomAccessRow) throws -> ScheduleSlot {
        ScheduleSlot(
            flow: try row.text("flow"), slot: try row.text("slot"), outcome: try row.text("outcome"), runID: try row.optionalText("run_id"),
            claimedAt: try row.date("claimed_at") ?? Date(), deadlineAlerted: try row.int64("deadline_alerted") != 0)
    }

    public func markDeadlineAlerted(flow: String, slot: String) throws(StoreError) -> Bool {
        try write(audited: false) { transaction in
            try transaction.execute(
                "UPDATE schedule_slots SET deadline_alerted = 1 WHERE flow = ? AND slot = ? AND deadline_alerted = 0", [flow, slot]) == 1
        }
    }

    /// One upsert whose update only applies when the lock expired or is the holder's own: the row lock
    /// PostgreSQL takes on conflict makes it a compare-and-set across hosts.
    public func acquireLock(_ name: String, holder: String, now date: Date, expires: Date) throws(StoreError) -> Bool {
        try write(audited: false) { transaction in
            let now = StoreTimestamp.string(date)
            return try transaction.execute(
                """
                INSERT INTO locks (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
                WHERE locks.expires_at <= ? OR locks.holder = excluded.holder
                """,
                [name, holder, now, StoreTimestamp.string(expires), now]) == 1
        }
    }

    public func lockHolder(_ name: String, now: Date) throws(StoreError) -> String? {
        try read { session in
            try session.row("SELECT holder FROM locks WHERE name = ? AND expires_at > ?", [name, StoreTimestamp.string(now)])?.text("holder")
        }
    }

    public func releaseLock(_ name: String, holder: String) throws(StoreError) {
        try write(audited: false) { transaction in
            try transaction.execute("DELETE FROM locks WHERE name = ? AND holder = ?", [name, holder])
        }
    }

    public func releaseLocks(holder: String) throws(StoreError) {
        try write(audited: false) { transaction in
            try transaction.execute("DELETE FROM locks WHERE holder = ?", [holder])
        }
    }
}
