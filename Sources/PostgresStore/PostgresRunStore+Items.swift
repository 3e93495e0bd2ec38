import Foundation
import PostgresNIO
import Store

extension PostgresRunStore {
    public func addItems(_ items: [NewWorkItem], runID: String, actor: String) throws(StoreError) -> Int {
        try write { transaction in
            var added = 0
            let now = Date()
            for item in items {
                let state: ItemState = item.reviewReason == nil ? .new : .needsReview
                guard let row = try transaction.row(
                    """
                    INSERT INTO work_items (run_id, key, payload, state, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, key) DO NOTHING RETURNING id
                    """,
                    [runID, item.key, StoreJSON.text(item.payload), state.rawValue, item.reviewReason, StoreTimestamp.string(now)])
                else { continue }
                added += 1
                try transaction.appendAudit(
                    AuditEvent(actor: actor, entityType: "item", entityID: String(try row.int64("id")), toState: state.rawValue,
                               reason: item.reviewReason ?? "added from the run's records", payload: ["run": runID, "key": item.key]),
                    at: now)
            }
            if added > 0 { try transaction.notifyWork(runID) }
            return added
        }
    }

    /// One statement claims items: `FOR UPDATE SKIP LOCKED` passes over rows another transaction is
    /// claiming, so concurrent workers on any host never get the same item. The claims this process's
    /// workers make at the same moment share that statement and its transaction (``ClaimCombiner``).
    ///
    /// A claim whose lease expired is taken over first (the oldest lease first), then new items oldest
    /// first: each half is one index range (`work_items_leases`, `work_items_fresh`), and `UNION ALL …
    /// LIMIT` runs the second only when the first finds too few, so a claim costs the same however many
    /// items the table holds. New items are ordered by `id + 0`, which only `work_items_fresh` gives: by
    /// `id`, the planner walked the primary key through every older run's items (it takes a run's new
    /// items to be spread evenly along the key; they are all at its end), under the chain head, on
    /// every claim, so claims slowed as the database grew.
    /// Expired claims are normally older than every new item, so this is the order of SQLite's
    /// lowest-id-first in all but a requeued item's case.
    public func claimItem(runID: String, worker: String, leaseExpiredBefore: Date) throws(StoreError) -> WorkItem? {
        try claims.claim(runID: runID, .init(worker: worker, leaseExpiredBefore: leaseExpiredBefore)) { claimers throws(StoreError) in
            try claimItems(runID: runID, for: claimers)
        }
    }

    /// Claims up to one item for each of `claimers` in one transaction, each with its audit row; answers in
    /// their order, `nil` for a claimer left without one.
    func claimItems(runID: String, for claimers: [ClaimCombiner.Claimer]) throws(StoreError) -> [WorkItem?] {
        // A lease expired for every claimer of the batch is expired for each.
        let expiredBefore = StoreTimestamp.string(claimers.map(\.leaseExpiredBefore).min() ?? .distantPast)
        return try write { transaction in
            let now = StoreTimestamp.string(Date())
            let count = claimers.count
            let rows = try transaction.rows(
                Self.claimStatement, [runID, expiredBefore, count, runID, count, count, claimers.map(\.worker), now, now])
            var items = [WorkItem?](repeating: nil, count: count)
            for row in rows {
                let slot = Int(try row.int64("slot")) - 1
                guard items.indices.contains(slot) else { continue }
                items[slot] = try Self.workItem(row)
            }
            try transaction.appendAudit(items.compactMap { $0 }.map { item in
                (AuditEvent(actor: item.claimedBy ?? "", entityType: "item", entityID: String(item.id),
                            fromState: item.attempts > 1 ? "new or expired claim" : ItemState.new.rawValue, toState: ItemState.processing.rawValue,
                            reason: item.attempts > 1 ? "claimed (attempt \(item.attempts))" : "claimed", payload: ["key": item.key]),
                 item.claimedAt ?? Date())
            })
            return items
        }
    }

    /// The claim (arguments: run, lease expired before, count, run, count, count, the claimers' worker names
    /// in order, now, now); each claimed row comes back with the `slot` (1, 2, …) of the claimer it went to.
    /// See ``claimItem(runID:worker:leaseExpiredBefore:)``.
    static let claimStatement = """
        WITH picked AS (
            SELECT id, row_number() OVER () AS slot FROM (
                SELECT id FROM (
                    SELECT id FROM work_items WHERE run_id = ? AND state = 'processing' AND claimed_at < ?
                    ORDER BY claimed_at, id LIMIT ? FOR UPDATE SKIP LOCKED
                ) AS expired
                UNION ALL
                SELECT id FROM (
                    SELECT id FROM work_items WHERE run_id = ? AND state = 'new' ORDER BY id + 0 LIMIT ? FOR UPDATE SKIP LOCKED
                ) AS fresh
                LIMIT ?
            ) AS candidates
        ),
        claimers AS (SELECT worker, slot FROM unnest(?::text[]) WITH ORDINALITY AS named(worker, slot))
        UPDATE work_items
        SET state = 'processing', claimed_by = claimers.worker, claimed_at = ?, attempts = attempts + 1, updated_at = ?
        FROM picked JOIN claimers USING (slot)
        WHERE work_items.id = picked.id
        RETURNING work_items.*, picked.slot
        """

    public func finishItem(id: Int64, state: ItemState, reason: String?, actor: String) throws(StoreError) -> WorkItem {
        let path = url.description
        return try write { transaction in
            guard let before = try transaction.row("SELECT * FROM work_items WHERE id = ? FOR UPDATE", [id]).map(Self.workItem) else {
                throw Self.notFound(path, "there is no work item \(id); `ferry items` lists them")
            }
            let now = Date()
            let keepsClaim = state == .processing
            let lastError: String? = state == .done ? nil : (reason ?? before.lastError)
            try transaction.execute(
                """
                UPDATE work_items SET state = ?, last_error = ?, updated_at = ?,
                    claimed_by = CASE WHEN ? = 1 THEN claimed_by ELSE NULL END,
                    claimed_at = CASE WHEN ? = 1 THEN claimed_at ELSE NULL END
                WHERE id = ?
                """,
                [state.rawValue, lastError, StoreTimestamp.string(now), keepsClaim, keepsClaim, id])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue,
                           toState: state.rawValue, reason: reason, payload: ["key": before.key]),
                at: now)
            if state == .new { try transaction.notifyWork(before.runID) }
            var after = before
            after.state = state
            after.lastError = lastError
            after.updatedAt = now
            if !keepsClaim {
                after.claimedBy = nil
                after.claimedAt = nil
            }
            return after
        }
    }

    public func item(id: Int64) throws(StoreError) -> WorkItem? {
        try read { session in try session.row("SELECT * FROM work_items WHERE id = ?", [id]).map(Self.workItem) }
    }

    public func items(runID: String?, states: [ItemState]) throws(StoreError) -> [WorkItem] {
        try read { session in
            var conditions: [String] = []
            var arguments: [any SQLArgument] = []
            if let runID {
                conditions.append("run_id = ?")
                arguments.append(runID)
            }
            if !states.isEmpty {
                conditions.append("state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
                arguments += states.map(\.rawValue) as [any SQLArgument]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try session.rows("SELECT * FROM work_items \(filter) ORDER BY id", arguments).map(Self.workItem)
        }
    }

    public func renewClaim(itemID: Int64, worker: String) throws(StoreError) -> Bool {
        try write(audited: false) { transaction in
            try transaction.execute(
                "UPDATE work_items SET claimed_at = ? WHERE id = ? AND state = 'processing' AND claimed_by = ?",
                [StoreTimestamp.string(Date()), itemID, worker]) > 0
        }
    }

    public func releaseClaims(worker: String, actor: String, reason: String) throws(StoreError) -> [WorkItem] {
        try write { transaction in
            let now = Date()
            let held = try transaction.rows(
                "SELECT * FROM work_items WHERE state = 'processing' AND claimed_by = ? ORDER BY id FOR UPDATE", [worker]
            ).map(Self.workItem)
            var released: [WorkItem] = []
            for item in held {
                try transaction.execute(
                    "UPDATE work_items SET state = 'new', claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?",
                    [StoreTimestamp.string(now), item.id])
                try transaction.appendAudit(
                    AuditEvent(actor: actor, entityType: "item", entityID: String(item.id), fromState: ItemState.processing.rawValue,
                               toState: ItemState.new.rawValue, reason: "claim of \(worker) released: \(reason)",
                               payload: ["key": item.key, "run": item.runID]),
                    at: now)
                var back = item
                back.state = .new
                back.claimedBy = nil
                back.claimedAt = nil
                back.updatedAt = now
                released.append(back)
            }
            if !released.isEmpty { try transaction.notifyWork(worker) }
            return released
        }
    }

    /// Waits for a `NOTIFY` on ``workChannel`` (items added or put back, on any host) or `timeout`.
    public func waitForWork(timeout: Duration) async {
        await workSignal.wait(timeout: timeout)
    }

    static func workItem(_ row: PostgresRandomAccessRow) throws -> WorkItem {
        WorkItem(
            id: try row.int64("id"), runID: try row.text("run_id"), key: try row.text("key"),
            payload: StoreJSON.dictionary(try row.text("payload")),
            state: ItemState(rawValue: try row.text("state")) ?? .error, attempts: try row.int("attempts"),
            lastError: try row.optionalText("last_error"), claimedBy: try row.optionalText("claimed_by"),
            claimedAt: try row.date("claimed_at"), updatedAt: try row.date("updated_at") ?? Date())
    }

    // MARK: Side effects

    public func sideEffect(key: String) throws(StoreError) -> SideEffect? {
        try read { session in try session.row("SELECT * FROM side_effects WHERE key = ?", [key]).map(Self.sideEffect) }
    }

    public func sideEffects(runID: String?, itemKey: String?) throws(StoreError) -> [SideEffect] {
        try read { session in
            var conditions: [String] = []
            var arguments: [any SQLArgument] = []
            if let runID {
                conditions.append("run_id = ?")
                arguments.append(runID)
            }
            if let itemKey {
                conditions.append("item_key = ?")
                arguments.append(itemKey)
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try session.rows("SELECT * FROM side_effects \(filter) ORDER BY created_at, key", arguments).map(Self.sideEffect)
        }
    }

    public func recordIntent(key: String, runID: String, stage: String, step: Int, itemKey: String?, actor: String) throws(StoreError) -> SideEffect? {
        try write { transaction in
            let now = Date()
            let payload = ["run": runID, "stage": stage, "step": String(step + 1)]
            // Audited writes hold the chain head, so no other host inserts this key between the read and the write.
            if let row = try transaction.row("SELECT * FROM side_effects WHERE key = ? FOR UPDATE", [key]) {
                let existing = try Self.sideEffect(row)
                if existing.state == .done { return existing }
                try transaction.execute(
                    """
                    UPDATE side_effects SET run_id = ?, stage = ?, step = ?, item_key = ?, state = 'intended', detail = NULL,
                        created_at = ?, acted_at = NULL, completed_at = NULL
                    WHERE key = ?
                    """,
                    [runID, stage, step, itemKey, StoreTimestamp.string(now), key])
                try transaction.appendAudit(
                    AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: existing.state.rawValue,
                               toState: SideEffect.State.intended.rawValue, reason: "acting again: the target did not show the change", payload: payload),
                    at: now)
                return nil
            }
            try transaction.execute(
                "INSERT INTO side_effects (key, run_id, stage, step, item_key, state, created_at) VALUES (?, ?, ?, ?, ?, 'intended', ?)",
                [key, runID, stage, step, itemKey, StoreTimestamp.string(now)])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, toState: SideEffect.State.intended.rawValue,
                           reason: "about to change the target system", payload: payload),
                at: now)
            return nil
        }
    }

    public func markSideEffect(key: String, state: SideEffect.State, result: String?, detail: String?, actor: String) throws(StoreError) {
        let path = url.description
        try write { transaction in
            guard let row = try transaction.row("SELECT * FROM side_effects WHERE key = ? FOR UPDATE", [key]) else {
                throw Self.notFound(path, "no side effect is recorded under key \(key)")
            }
            let before = try Self.sideEffect(row)
            let now = StoreTimestamp.string(Date())
            switch state {
            case .intended:
                try transaction.execute("UPDATE side_effects SET state = 'intended', acted_at = NULL WHERE key = ?", [key])
            case .acted:
                try transaction.execute("UPDATE side_effects SET state = 'acted', acted_at = ? WHERE key = ?", [now, key])
            case .unconfirmed:
                try transaction.execute("UPDATE side_effects SET state = 'unconfirmed', detail = ? WHERE key = ?", [detail, key])
            case .done:
                try transaction.execute(
                    "UPDATE side_effects SET state = 'done', result = ?, detail = NULL, completed_at = ? WHERE key = ?", [result, now, key])
            }
            let reason: String? =
                switch state {
                case .acted: "the action returned; its verification follows"
                case .unconfirmed: "not confirmed: " + (detail ?? "its verification did not pass")
                case .done: "confirmed by the steps that verify it" + (result.map { "; result: \($0)" } ?? "")
                case .intended: detail
                }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: before.state.rawValue, toState: state.rawValue,
                           reason: reason, payload: ["run": before.runID]))
        }
    }

    public func withdrawIntent(key: String, actor: String, reason: String) throws(StoreError) {
        try write { transaction in
            guard try transaction.execute("DELETE FROM side_effects WHERE key = ? AND state = 'intended'", [key]) > 0 else { return }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "side_effect", entityID: key, fromState: SideEffect.State.intended.rawValue,
                           toState: "withdrawn", reason: reason))
        }
    }

    public func clearSideEffects(itemKey: String, actor: String, reason: String) throws(StoreError) -> [String] {
        try write { transaction in
            let effects = try transaction.rows(
                "SELECT * FROM side_effects WHERE item_key = ? ORDER BY created_at, key FOR UPDATE", [itemKey]
            ).map(Self.sideEffect)
            let now = Date()
            for effect in effects {
                try transaction.execute("DELETE FROM side_effects WHERE key = ?", [effect.key])
                try transaction.appendAudit(
                    AuditEvent(actor: actor, entityType: "side_effect", entityID: effect.key, fromState: effect.state.rawValue, toState: "cleared",
                               reason: reason, payload: ["run": effect.runID, "item": itemKey, "result": effect.result ?? ""]),
                    at: now)
            }
            return effects.map(\.key)
        }
    }

    static func sideEffect(_ row: PostgresRandomAccessRow) throws -> SideEffect {
        SideEffect(
            key: try row.text("key"), runID: try row.text("run_id"), stage: try row.text("stage"), step: try row.int("step"),
            itemKey: try row.optionalText("item_key"), state: SideEffect.State(rawValue: try row.text("state")) ?? .intended,
            result: try row.optionalText("result"), detail: try row.optionalText("detail"), createdAt: try row.date("created_at") ?? Date(),
            actedAt: try row.date("acted_at"), completedAt: try row.date("completed_at"))
    }
}
