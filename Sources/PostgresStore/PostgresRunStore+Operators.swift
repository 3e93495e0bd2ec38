import Foundation
import PostgresNIO
import Store

extension PostgresRunStore {
    // MARK: Accounts

    public func saveUser(_ account: OperatorAccount, actor: String) throws(StoreError) {
        try write { transaction in
            let before = try transaction.row("SELECT role FROM operator_users WHERE name = ? FOR UPDATE", [account.name])?.text("role")
            // A new password or role ends every session the user has: a stolen cookie dies with the old password.
            let ended = before == nil ? 0 : try transaction.execute("DELETE FROM operator_sessions WHERE user_name = ?", [account.name])
            try transaction.execute(
                """
                INSERT INTO operator_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                """,
                [account.name, account.role.rawValue, account.passwordHash, StoreTimestamp.string(account.createdAt)])
            // The hash never goes into the audit log: only that the account was added or changed.
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: account.name, fromState: before, toState: account.role.rawValue,
                           reason: before == nil ? "user added" : "role and password set; \(ended) session\(ended == 1 ? "" : "s") ended"))
        }
    }

    public func setUserDisabled(name: String, disabled: Bool, actor: String, origin: [String: String]) throws(StoreError) {
        let path = url.description
        try write { transaction in
            guard let account = try transaction.row("SELECT * FROM operator_users WHERE name = ? FOR UPDATE", [name]).map(Self.account) else {
                throw Self.notFound(path, "there is no user \(name); `ferry users list` lists them")
            }
            let now = Date()
            try transaction.execute("UPDATE operator_users SET disabled_at = ? WHERE name = ?", [disabled ? StoreTimestamp.string(now) : nil, name])
            let ended = disabled ? try transaction.execute("DELETE FROM operator_sessions WHERE user_name = ?", [name]) : 0
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: name, fromState: account.disabledAt == nil ? "active" : "disabled",
                           toState: disabled ? "disabled" : "active",
                           reason: disabled ? "user disabled; \(ended) session\(ended == 1 ? "" : "s") ended" : "user enabled", payload: origin),
                at: now)
        }
    }

    public func deleteUser(name: String, actor: String, origin: [String: String]) throws(StoreError) {
        let path = url.description
        try write { transaction in
            guard let account = try transaction.row("SELECT * FROM operator_users WHERE name = ? FOR UPDATE", [name]).map(Self.account) else {
                throw Self.notFound(path, "there is no user \(name); `ferry users list` lists them")
            }
            let ended = try transaction.execute("DELETE FROM operator_sessions WHERE user_name = ?", [name])
            try transaction.execute("DELETE FROM operator_users WHERE name = ?", [name])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: name, fromState: account.role.rawValue, toState: "deleted",
                           reason: "user deleted; \(ended) session\(ended == 1 ? "" : "s") ended", payload: origin))
        }
    }

    /// Sessions kept per user: signing in again and again does not grow the table without end.
    static let maximumSessionsPerUser = 10

    public func user(named name: String) throws(StoreError) -> OperatorAccount? {
        try read { session in try session.row("SELECT * FROM operator_users WHERE name = ?", [name]).map(Self.account) }
    }

    public func users() throws(StoreError) -> [OperatorAccount] {
        try read { session in try session.rows("SELECT * FROM operator_users ORDER BY name").map(Self.account) }
    }

    static func account(_ row: PostgresRandomAccessRow) throws -> OperatorAccount {
        OperatorAccount(
            name: try row.text("name"), role: OperatorRole(rawValue: try row.text("role")) ?? .viewer, passwordHash: try row.text("password_hash"),
            createdAt: try row.date("created_at") ?? Date(timeIntervalSince1970: 0), disabledAt: try row.date("disabled_at"))
    }

    // MARK: Sessions

    public func createSession(_ session: OperatorSessionRecord) throws(StoreError) {
        try write(audited: false) { transaction in
            try transaction.execute(
                "INSERT INTO operator_sessions (token_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [session.tokenHash, session.userName, session.csrfToken, StoreTimestamp.string(session.createdAt),
                 StoreTimestamp.string(session.expiresAt)])
            try transaction.execute(
                """
                DELETE FROM operator_sessions WHERE user_name = ? AND token_hash NOT IN (
                    SELECT token_hash FROM operator_sessions WHERE user_name = ? ORDER BY created_at DESC, ord DESC LIMIT ?)
                """,
                [session.userName, session.userName, Self.maximumSessionsPerUser])
        }
    }

    public func session(tokenHash: String) throws(StoreError) -> OperatorSessionRecord? {
        try read { session in
            try session.row("SELECT * FROM operator_sessions WHERE token_hash = ?", [tokenHash]).map { row in
                OperatorSessionRecord(
                    tokenHash: try row.text("token_hash"), userName: try row.text("user_name"), csrfToken: try row.text("csrf_token"),
                    createdAt: try row.date("created_at") ?? Date(timeIntervalSince1970: 0),
                    expiresAt: try row.date("expires_at") ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    public func deleteSession(tokenHash: String) throws(StoreError) {
        try write(audited: false) { transaction in try transaction.execute("DELETE FROM operator_sessions WHERE token_hash = ?", [tokenHash]) }
    }

    public func deleteSessions(expiredBefore date: Date) throws(StoreError) {
        try write(audited: false) { transaction in
            try transaction.execute("DELETE FROM operator_sessions WHERE expires_at < ?", [StoreTimestamp.string(date)])
        }
    }

    // MARK: Schedules

    public func schedules() throws(StoreError) -> [ScheduleState] {
        try read { session in try session.rows("SELECT * FROM flow_schedules ORDER BY flow").map(Self.schedule) }
    }

    public func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?) throws(StoreError) -> ScheduleState {
        try setSchedulePaused(flow: flow, paused: paused, actor: actor, reason: reason, origin: [:])
    }

    public func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?, origin: [String: String]) throws(StoreError) -> ScheduleState {
        try write { transaction in
            let before = try transaction.row("SELECT * FROM flow_schedules WHERE flow = ? FOR UPDATE", [flow]).map(Self.schedule)
            let now = Date()
            try transaction.execute(
                """
                INSERT INTO flow_schedules (flow, paused, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (flow) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
                """,
                [flow, paused, StoreTimestamp.string(now)])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "flow", entityID: flow, fromState: before.map { $0.paused ? "paused" : "active" } ?? "active",
                           toState: paused ? "paused" : "active", reason: reason ?? (paused ? "schedule paused" : "schedule resumed"), payload: origin),
                at: now)
            var after = before ?? ScheduleState(flow: flow, paused: paused)
            after.paused = paused
            after.updatedAt = now
            return after
        }
    }

    public func setNextDue(flow: String, nextDue: Date?) throws(StoreError) {
        try write(audited: false) { transaction in
            try transaction.execute(
                """
                INSERT INTO flow_schedules (flow, paused, next_due, updated_at) VALUES (?, 0, ?, ?)
                ON CONFLICT (flow) DO UPDATE SET next_due = excluded.next_due
                """,
                [flow, nextDue.map(StoreTimestamp.string), StoreTimestamp.string(Date())])
        }
    }

    static func schedule(_ row: PostgresRandomAccessRow) throws -> ScheduleState {
        ScheduleState(
            flow: try row.text("flow"), paused: try row.int64("paused") != 0, everySeconds: try row.optionalInt("every_seconds"),
            nextDue: try row.date("next_due"), updatedAt: try row.date("updated_at") ?? Date(timeIntervalSince1970: 0))
    }

    // MARK: Items and runs

    public func requeueItem(id: Int64, fields: [String: String], actor: String, reason: String?) throws(StoreError) -> WorkItem {
        let path = url.description
        return try write { transaction in
            guard let before = try transaction.row("SELECT * FROM work_items WHERE id = ? FOR UPDATE", [id]).map(Self.workItem) else {
                throw Self.notFound(path, "there is no work item \(id); `ferry items` lists them")
            }
            var payload = before.payload
            var changed: [String: String] = ["key": before.key, "run": before.runID]
            for (name, value) in fields where payload[name] != value {
                changed["field." + name] = "\(payload[name] ?? "") -> \(value)"
                payload[name] = value
            }
            let now = Date()
            try transaction.execute(
                """
                UPDATE work_items SET state = 'new', payload = ?, last_error = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE id = ?
                """,
                [StoreJSON.text(payload), StoreTimestamp.string(now), id])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue, toState: ItemState.new.rawValue,
                           reason: reason, payload: changed),
                at: now)
            try transaction.notifyWork(before.runID)
            var after = before
            after.state = .new
            after.payload = payload
            after.lastError = nil
            after.claimedBy = nil
            after.claimedAt = nil
            after.updatedAt = now
            return after
        }
    }

    public func transitionItem(id: Int64, from allowed: Set<ItemState>, to state: ItemState, fields: [String: String], actor: String,
                               reason: String?, origin: [String: String]) throws(StoreError) -> WorkItem {
        let path = url.description
        let allowedStates = ItemState.allCases.filter(allowed.contains).map(\.rawValue)
        return try write { transaction in
            guard let before = try transaction.row("SELECT * FROM work_items WHERE id = ?", [id]).map(Self.workItem) else {
                throw Self.notFound(path, "there is no work item \(id); `ferry items` lists them")
            }
            let conflict = StoreError(
                code: .conflict, path: path,
                message: "item \(id) (\(before.key)) is \(before.state.rawValue) now, not \(allowedStates.joined(separator: " or ")): "
                    + "someone or something changed it first; nothing was changed (reload to see its state)")
            guard allowed.contains(before.state) else { throw conflict }
            var payload = before.payload
            var audited: [String: String] = origin.merging(["key": before.key, "run": before.runID]) { _, own in own }
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) where payload[name] != value {
                audited["field." + name] = "\(payload[name] ?? "") -> \(value)"
                payload[name] = value
            }
            let now = Date()
            let lastError: String? = switch state {
            case .done, .new: nil
            default: reason ?? before.lastError
            }
            var arguments: [any SQLArgument] = [state.rawValue, StoreJSON.text(payload), lastError, StoreTimestamp.string(now), id]
            arguments += allowedStates as [any SQLArgument]
            // The compare-and-set: the state is checked by the write itself, not by the read above.
            let changed = try transaction.execute(
                """
                UPDATE work_items SET state = ?, payload = ?, last_error = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE id = ? AND state IN (\(allowedStates.map { _ in "?" }.joined(separator: ", ")))
                """,
                arguments)
            guard changed == 1 else { throw conflict }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue, toState: state.rawValue,
                           reason: reason, payload: audited),
                at: now)
            if state == .new { try transaction.notifyWork(before.runID) }
            var after = before
            after.state = state
            after.payload = payload
            after.lastError = lastError
            after.claimedBy = nil
            after.claimedAt = nil
            after.updatedAt = now
            return after
        }
    }

    public func runCheckpoints(runID: String) throws(StoreError) -> [Checkpoint] {
        try read { session in
            try session.rows("SELECT * FROM checkpoints WHERE run_id = ? AND item_key = '' ORDER BY ord", [runID]).map(Self.checkpoint)
        }
    }

    public func runItems(runID: String, limit: Int) throws(StoreError) -> (items: [WorkItem], total: Int) {
        try read { session in
            let total = try session.row("SELECT count(*) AS n FROM work_items WHERE run_id = ?", [runID])?.int("n") ?? 0
            let items = try session.rows("SELECT * FROM work_items WHERE run_id = ? ORDER BY id LIMIT ?", [runID, limit]).map(Self.workItem)
            return (items, total)
        }
    }

    public func listItems(_ query: ItemQuery) throws(StoreError) -> (items: [ItemListing], total: Int) {
        try read { session in
            var conditions: [String] = []
            var arguments: [any SQLArgument] = []
            if !query.states.isEmpty {
                conditions.append("w.state IN (" + query.states.map { _ in "?" }.joined(separator: ", ") + ")")
                arguments += query.states.map(\.rawValue) as [any SQLArgument]
            }
            if let flow = query.flow, !flow.isEmpty {
                conditions.append("r.flow = ?")
                arguments.append(flow)
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("(strpos(lower(w.key), lower(?)) > 0 OR strpos(lower(w.run_id), lower(?)) > 0 OR strpos(lower(w.payload), lower(?)) > 0)")
                arguments += [text, text, text] as [any SQLArgument]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let from = "FROM work_items w JOIN runs r ON r.id = w.run_id \(filter)"
            let total = try session.row("SELECT count(*) AS n \(from)", arguments)?.int("n") ?? 0
            let items = try session.rows(
                "SELECT w.*, r.flow AS flow \(from) ORDER BY w.updated_at DESC, w.id DESC LIMIT ? OFFSET ?", arguments + [query.limit, query.offset]
            ).map { ItemListing(item: try Self.workItem($0), flow: try $0.text("flow")) }
            return (items, total)
        }
    }

    public func listRuns(_ query: RunQuery) throws(StoreError) -> (runs: [RunRecord], total: Int) {
        try read { session in
            var conditions: [String] = []
            var arguments: [any SQLArgument] = []
            if !query.states.isEmpty {
                conditions.append("state IN (" + query.states.map { _ in "?" }.joined(separator: ", ") + ")")
                arguments += query.states.map(\.rawValue) as [any SQLArgument]
            }
            if let flow = query.flow, !flow.isEmpty {
                conditions.append("flow = ?")
                arguments.append(flow)
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("(strpos(lower(id), lower(?)) > 0 OR strpos(lower(inputs), lower(?)) > 0)")
                arguments += [text, text] as [any SQLArgument]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try session.row("SELECT count(*) AS n FROM runs \(filter)", arguments)?.int("n") ?? 0
            let runs = try session.rows(
                "SELECT * FROM runs \(filter) ORDER BY started_at DESC LIMIT ? OFFSET ?", arguments + [query.limit, query.offset]
            ).map(Self.runRecord)
            return (runs, total)
        }
    }

    public func itemCounts() throws(StoreError) -> [ItemState: Int] {
        try read { session in
            var counts: [ItemState: Int] = [:]
            for row in try session.rows("SELECT state, count(*) AS n FROM work_items GROUP BY state") {
                if let state = ItemState(rawValue: try row.text("state")) { counts[state] = try row.int("n") }
            }
            return counts
        }
    }

    public func itemsDone(since date: Date) throws(StoreError) -> Int {
        try read { session in
            try session.row("SELECT count(*) AS n FROM work_items WHERE state = 'done' AND updated_at >= ?", [StoreTimestamp.string(date)])?.int("n") ?? 0
        }
    }

    public func auditLog(aboutRun runID: String, limit: Int) throws(StoreError) -> [AuditEntry] {
        let prefix = runID.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "/%"
        return try read { session in
            // The same rows as SQLiteRunStore's: the run's own ids, its items by number, and rows whose payload names the run.
            try session.rows(
                """
                SELECT * FROM (
                    SELECT * FROM audit_log WHERE entity_id = ?
                    UNION SELECT * FROM audit_log WHERE entity_id LIKE ? ESCAPE '\\'
                    UNION SELECT * FROM audit_log
                        WHERE entity_type = 'item' AND entity_id IN (SELECT CAST(id AS TEXT) FROM work_items WHERE run_id = ?)
                    UNION SELECT * FROM audit_log
                        WHERE seq >= coalesce((SELECT min(seq) FROM audit_log WHERE entity_id = ?), 0) AND strpos(payload, ?) > 0
                    ORDER BY seq DESC LIMIT ?
                ) AS newest ORDER BY seq
                """,
                [runID, prefix, runID, runID, "\"run\":\"\(runID)\"", limit]
            ).map(Self.auditEntry)
        }
    }
}
