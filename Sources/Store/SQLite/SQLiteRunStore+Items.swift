import Foundation
import GRDB

extension SQLiteRunStore {
    public func addItems(_ items: [NewWorkItem], runID: String, actor: String) throws(StoreError) -> Int {
        try write { db in
            var added = 0
            let now = Date()
            for item in items {
                let state: ItemState = item.reviewReason == nil ? .new : .needsReview
                try db.execute(
                    sql: """
                        INSERT INTO work_items (run_id, key, payload, state, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (run_id, key) DO NOTHING
                        """,
                    arguments: [runID, item.key, Self.json(item.payload), state.rawValue, item.reviewReason, StoreTimestamp.string(now)])
                guard db.changesCount > 0 else { continue }
                added += 1
                try Self.appendAudit(
                    AuditEvent(actor: actor, entityType: "item", entityID: String(db.lastInsertedRowID), toState: state.rawValue,
                               reason: item.reviewReason ?? "added from the run's records", payload: ["run": runID, "key": item.key]),
                    at: now, in: db)
            }
            return added
        }
    }

    public func claimItem(runID: String, worker: String, leaseExpiredBefore: Date) throws(StoreError) -> WorkItem? {
        try write { db in
            let now = Date()
            // One statement: the item is chosen and claimed under SQLite's write lock, so no two workers get it.
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    UPDATE work_items
                    SET state = 'processing', claimed_by = ?, claimed_at = ?, attempts = attempts + 1, updated_at = ?
                    WHERE id = (
                        SELECT id FROM work_items
                        WHERE run_id = ? AND (state = 'new' OR (state = 'processing' AND claimed_at < ?))
                        ORDER BY id LIMIT 1
                    )
                    RETURNING *
                    """,
                arguments: [worker, StoreTimestamp.string(now), StoreTimestamp.string(now), runID, StoreTimestamp.string(leaseExpiredBefore)])
            else { return nil }
            let item = Self.workItem(row)
            try Self.appendAudit(
                AuditEvent(actor: worker, entityType: "item", entityID: String(item.id),
                           fromState: item.attempts > 1 ? "new or expired claim" : ItemState.new.rawValue, toState: ItemState.processing.rawValue,
                           reason: item.attempts > 1 ? "claimed (attempt \(item.attempts))" : "claimed", payload: ["key": item.key]),
                at: now, in: db)
            return item
        }
    }

    public func finishItem(id: Int64, state: ItemState, reason: String?, actor: String) throws(StoreError) -> WorkItem {
        let path = database.path
        return try write { db in
            guard let before = try Row.fetchOne(db, sql: "SELECT * FROM work_items WHERE id = ?", arguments: [id]).map(Self.workItem) else {
                throw StoreError(code: .notFound, path: path, message: "there is no work item \(id); `ferry items` lists them")
            }
            let now = Date()
            let keepsClaim = state == .processing
            try db.execute(
                sql: """
                    UPDATE work_items SET state = ?, last_error = ?, updated_at = ?,
                        claimed_by = CASE WHEN ? THEN claimed_by ELSE NULL END,
                        claimed_at = CASE WHEN ? THEN claimed_at ELSE NULL END
                    WHERE id = ?
                    """,
                arguments: [state.rawValue, state == .done ? nil : (reason ?? before.lastError), StoreTimestamp.string(now), keepsClaim, keepsClaim, id])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue,
                           toState: state.rawValue, reason: reason, payload: ["key": before.key]),
                at: now, in: db)
            var after = before
            after.state = state
            after.lastError = state == .done ? nil : (reason ?? before.lastError)
            after.updatedAt = now
            if !keepsClaim {
                after.claimedBy = nil
                after.claimedAt = nil
            }
            return after
        }
    }

    public func item(id: Int64) throws(StoreError) -> WorkItem? {
        try read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM work_items WHERE id = ?"), arguments: [id]).map(Self.workItem) }
    }

    public func items(runID: String?, states: [ItemState]) throws(StoreError) -> [WorkItem] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let runID {
                conditions.append("run_id = ?")
                _ = arguments.append(contentsOf: [runID])
            }
            if !states.isEmpty {
                conditions.append("state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
                _ = arguments.append(contentsOf: StatementArguments(states.map(\.rawValue)))
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM work_items \(filter) ORDER BY id", arguments: arguments).map(Self.workItem)
        }
    }

    public func renewClaim(itemID: Int64, worker: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE work_items SET claimed_at = ? WHERE id = ? AND state = 'processing' AND claimed_by = ?",
                arguments: [StoreTimestamp.string(Date()), itemID, worker])
            return db.changesCount > 0
        }
    }

    public func releaseClaims(worker: String, actor: String, reason: String) throws(StoreError) -> [WorkItem] {
        try write { db in
            let now = Date()
            let held = try Row.fetchAll(
                db, sql: "SELECT * FROM work_items WHERE state = 'processing' AND claimed_by = ? ORDER BY id", arguments: [worker]
            ).map(Self.workItem)
            var released: [WorkItem] = []
            for item in held {
                try db.execute(
                    sql: "UPDATE work_items SET state = 'new', claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?",
                    arguments: [StoreTimestamp.string(now), item.id])
                try Self.appendAudit(
                    AuditEvent(actor: actor, entityType: "item", entityID: String(item.id), fromState: ItemState.processing.rawValue,
                               toState: ItemState.new.rawValue, reason: "claim of \(worker) released: \(reason)",
                               payload: ["key": item.key, "run": item.runID]),
                    at: now, in: db)
                var back = item
                back.state = .new
                back.claimedBy = nil
                back.claimedAt = nil
                back.updatedAt = now
                released.append(back)
            }
            return released
        }
    }

    /// SQLite has no notifications between processes: an idle worker looks again after a short interval.
    public func waitForWork(timeout: Duration) async {
        try? await Task.sleep(for: min(timeout, .milliseconds(250)))
    }

    static func workItem(_ row: Row) -> WorkItem {
        WorkItem(
            id: row["id"], runID: row["run_id"], key: row["key"], payload: dictionary(row["payload"]),
            state: ItemState(rawValue: row["state"]) ?? .error, attempts: row["attempts"], lastError: row["last_error"],
            claimedBy: row["claimed_by"], claimedAt: StoreTimestamp.date(row["claimed_at"]),
            updatedAt: StoreTimestamp.date(row["updated_at"]) ?? Date())
    }

    // MARK: Side effects

    public func sideEffect(key: String) throws(StoreError) -> SideEffect? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM side_effects WHERE key = ?", arguments: [key]).map(Self.sideEffect) }
    }

    public func sideEffects(runID: String?, itemKey: String?) throws(StoreError) -> [SideEffect] {
        try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let runID {
                conditions.append("run_id = ?")
                _ = arguments.append(contentsOf: [runID])
            }
            if let itemKey {
                conditions.append("item_key = ?")
                _ = arguments.append(contentsOf: [itemKey])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM side_effects \(filter) ORDER BY created_at, key"), arguments: arguments).map(Self.sideEffect)
        }
    }

    public func recordIntent(key: String, runID: String, stage: String, step: Int, itemKey: String?, actor: String) throws(StoreError) -> SideEffect? {
        try write { db in
            let now = Date()
            let payload = ["run": runID, "stage": stage, "step": String(step + 1)]
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM side_effects WHERE key = ?", arguments: [key]) {
                let existing = Self.sideEffect(row)
                if existing.state == .done { return existing }
                try db.execute(
                    sql: """
                        UPDATE side_effects SET run_id = ?, stage = ?, step = ?, item_key = ?, state = 'intended', detail = NULL,
                            created_at = ?, acted_at = NULL, completed_at = NULL
                        WHERE key = ?
                        """,
                    arguments: [runID, stage, step, itemKey, StoreTimestamp.string(now), key])
                try Self.appendAudit(
                    AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: existing.state.rawValue,
                               toState: SideEffect.State.intended.rawValue, reason: "acting again: the target did not show the change", payload: payload),
                    at: now, in: db)
                return nil
            }
            try db.execute(
                sql: "INSERT INTO side_effects (key, run_id, stage, step, item_key, state, created_at) VALUES (?, ?, ?, ?, ?, 'intended', ?)",
                arguments: [key, runID, stage, step, itemKey, StoreTimestamp.string(now)])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, toState: SideEffect.State.intended.rawValue,
                           reason: "about to change the target system", payload: payload),
                at: now, in: db)
            return nil
        }
    }

    public func markSideEffect(key: String, state: SideEffect.State, result: String?, detail: String?, actor: String) throws(StoreError) {
        let path = database.path
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM side_effects WHERE key = ?", arguments: [key]) else {
                throw StoreError(code: .notFound, path: path, message: "no side effect is recorded under key \(key)")
            }
            let before = Self.sideEffect(row)
            let now = StoreTimestamp.string(Date())
            switch state {
            case .intended:
                try db.execute(sql: "UPDATE side_effects SET state = 'intended', acted_at = NULL WHERE key = ?", arguments: [key])
            case .acted:
                try db.execute(sql: "UPDATE side_effects SET state = 'acted', acted_at = ? WHERE key = ?", arguments: [now, key])
            case .unconfirmed:
                try db.execute(sql: "UPDATE side_effects SET state = 'unconfirmed', detail = ? WHERE key = ?", arguments: [detail, key])
            case .done:
                try db.execute(
                    sql: "UPDATE side_effects SET state = 'done', result = ?, detail = NULL, completed_at = ? WHERE key = ?",
                    arguments: [result, now, key])
            }
            let reason: String? =
                switch state {
                case .acted: "the action returned; its verification follows"
                case .unconfirmed: "not confirmed: " + (detail ?? "its verification did not pass")
                case .done: "confirmed by the steps that verify it" + (result.map { "; result: \($0)" } ?? "")
                case .intended: detail
                }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: before.state.rawValue, toState: state.rawValue,
                           reason: reason, payload: ["run": before.runID]),
                at: Date(), in: db)
        }
    }

    public func withdrawIntent(key: String, actor: String, reason: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM side_effects WHERE key = ? AND state = 'intended'", arguments: [key])
            guard db.changesCount > 0 else { return }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: SideEffect.State.intended.rawValue,
                           toState: "withdrawn", reason: reason),
                at: Date(), in: db)
        }
    }

    public func clearSideEffects(itemKey: String, actor: String, reason: String) throws(StoreError) -> [String] {
        try write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM side_effects WHERE item_key = ? ORDER BY created_at, key", arguments: [itemKey])
            let now = Date()
            for effect in rows.map(Self.sideEffect) {
                try db.execute(sql: "DELETE FROM side_effects WHERE key = ?", arguments: [effect.key])
                try Self.appendAudit(
                    AuditEvent(actor: actor, entityType: "side_effect", entityID: effect.key, fromState: effect.state.rawValue, toState: "cleared",
                               reason: reason, payload: ["run": effect.runID, "item": itemKey, "result": effect.result ?? ""]),
                    at: now, in: db)
            }
            return rows.map { $0["key"] }
        }
    }

    static func sideEffect(_ row: Row) -> SideEffect {
        SideEffect(
            key: row["key"], runID: row["run_id"], stage: row["stage"], step: row["step"], itemKey: row["item_key"],
            state: SideEffect.State(rawValue: row["state"]) ?? .intended, result: row["result"], detail: row["detail"],
            createdAt: StoreTimestamp.date(row["created_at"]) ?? Date(), actedAt: StoreTimestamp.date(row["acted_at"]),
            completedAt: StoreTimestamp.date(row["completed_at"]))
    }
}
