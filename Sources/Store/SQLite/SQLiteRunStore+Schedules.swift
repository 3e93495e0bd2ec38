import Foundation
import GRDB

extension StoreSchema {
    static func registerSchedules(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-schedules") { db in
            try db.execute(sql: """
                CREATE TABLE schedule_slots (
                    flow TEXT NOT NULL,
                    slot TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    run_id TEXT,
                    claimed_at TEXT NOT NULL,
                    deadline_alerted INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (flow, slot)
                );
                CREATE TABLE locks (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    acquired_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                );
                """)
        }
    }
}

extension SQLiteRunStore {
    public func claimSlot(flow: String, slot: String, outcome: String, runID: String?, actor: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO schedule_slots (flow, slot, outcome, run_id, claimed_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [flow, slot, outcome, runID, StoreTimestamp.string(Date())])
            guard db.changesCount == 1 else { return false }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "schedule", entityID: "\(flow)@\(slot)", toState: outcome, reason: runID.map { "run \($0)" }),
                at: Date(), in: db)
            return true
        }
    }

    public func slot(flow: String, slot: String) throws(StoreError) -> ScheduleSlot? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM schedule_slots WHERE flow = ? AND slot = ?", arguments: [flow, slot]).map(Self.scheduleSlot)
        }
    }

    public func lastSlot(flow: String) throws(StoreError) -> ScheduleSlot? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM schedule_slots WHERE flow = ? ORDER BY slot DESC LIMIT 1", arguments: [flow]).map(Self.scheduleSlot)
        }
    }

    private static func scheduleSlot(_ row: Row) -> ScheduleSlot {
        ScheduleSlot(
            flow: row["flow"], slot: row["slot"], outcome: row["outcome"], runID: row["run_id"],
            claimedAt: StoreTimestamp.date(row["claimed_at"]) ?? Date(), deadlineAlerted: (row["deadline_alerted"] as Int) != 0)
    }

    public func markDeadlineAlerted(flow: String, slot: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE schedule_slots SET deadline_alerted = 1 WHERE flow = ? AND slot = ? AND deadline_alerted = 0", arguments: [flow, slot])
            return db.changesCount == 1
        }
    }

    public func acquireLock(_ name: String, holder: String, now date: Date, expires: Date) throws(StoreError) -> Bool {
        try write { db in
            let now = StoreTimestamp.string(date)
            try db.execute(
                sql: """
                    INSERT INTO locks (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
                    WHERE locks.expires_at <= ? OR locks.holder = excluded.holder
                    """,
                arguments: [name, holder, now, StoreTimestamp.string(expires), now])
            return db.changesCount == 1
        }
    }

    public func lockHolder(_ name: String, now: Date) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT holder FROM locks WHERE name = ? AND expires_at > ?", arguments: [name, StoreTimestamp.string(now)])
        }
    }

    public func releaseLock(_ name: String, holder: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM locks WHERE name = ? AND holder = ?", arguments: [name, holder])
        }
    }

    public func releaseLocks(holder: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM locks WHERE holder = ?", arguments: [holder])
        }
    }
}
