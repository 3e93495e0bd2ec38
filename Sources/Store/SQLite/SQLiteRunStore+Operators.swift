import Foundation
import GRDB

extension SQLiteRunStore: OperatorStore {
    // MARK: Accounts

    public func saveUser(_ account: OperatorAccount, actor: String) throws(StoreError) {
        try write { db in
            let before = try String.fetchOne(db, sql: "SELECT role FROM operator_users WHERE name = ?", arguments: [account.name])
            // A new password or role ends every session the user has: a stolen cookie dies with the old password.
            let ended = before == nil ? 0 : try Self.endSessions(of: account.name, db)
            try db.execute(
                sql: """
                    INSERT INTO operator_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                    """,
                arguments: [account.name, account.role.rawValue, account.passwordHash, StoreTimestamp.string(account.createdAt)])
            // The hash never goes into the audit log: only that the account was added or changed.
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: account.name, fromState: before, toState: account.role.rawValue,
                           reason: before == nil ? "user added" : "role and password set; \(ended) session\(ended == 1 ? "" : "s") ended"),
                in: db)
        }
    }

    public func setUserDisabled(name: String, disabled: Bool, actor: String, origin: [String: String]) throws(StoreError) {
        let path = database.path
        try write { db in
            guard let account = try Row.fetchOne(db, sql: "SELECT * FROM operator_users WHERE name = ?", arguments: [name]).map(Self.account) else {
                throw StoreError(code: .notFound, path: path, message: "there is no user \(name); `ferry users list` lists them")
            }
            let now = Date()
            try db.execute(sql: "UPDATE operator_users SET disabled_at = ? WHERE name = ?",
                           arguments: [disabled ? StoreTimestamp.string(now) : nil, name])
            let ended = disabled ? try Self.endSessions(of: name, db) : 0
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: name, fromState: account.disabledAt == nil ? "active" : "disabled",
                           toState: disabled ? "disabled" : "active",
                           reason: disabled ? "user disabled; \(ended) session\(ended == 1 ? "" : "s") ended" : "user enabled", payload: origin),
                at: now, in: db)
        }
    }

    public func deleteUser(name: String, actor: String, origin: [String: String]) throws(StoreError) {
        let path = database.path
        try write { db in
            guard let account = try Row.fetchOne(db, sql: "SELECT * FROM operator_users WHERE name = ?", arguments: [name]).map(Self.account) else {
                throw StoreError(code: .notFound, path: path, message: "there is no user \(name); `ferry users list` lists them")
            }
            let ended = try Self.endSessions(of: name, db)
            try db.execute(sql: "DELETE FROM operator_users WHERE name = ?", arguments: [name])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: name, fromState: account.role.rawValue, toState: "deleted",
                           reason: "user deleted; \(ended) session\(ended == 1 ? "" : "s") ended", payload: origin),
                in: db)
        }
    }

    /// Deletes every session of `name`; returns how many there were.
    static func endSessions(of name: String, _ db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM operator_sessions WHERE user_name = ?", arguments: [name])
        return db.changesCount
    }

    /// Sessions kept per user: signing in again and again does not grow the table without end.
    static let maximumSessionsPerUser = 10

    public func user(named name: String) throws(StoreError) -> OperatorAccount? {
        try read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM operator_users WHERE name = ?"), arguments: [name]).map(Self.account) }
    }

    public func users() throws(StoreError) -> [OperatorAccount] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM operator_users ORDER BY name").map(Self.account) }
    }

    static func account(_ row: Row) -> OperatorAccount {
        OperatorAccount(
            name: row["name"], role: OperatorRole(rawValue: row["role"]) ?? .viewer, passwordHash: row["password_hash"],
            createdAt: StoreTimestamp.date(row["created_at"]) ?? Date(timeIntervalSince1970: 0), disabledAt: StoreTimestamp.date(row["disabled_at"]))
    }

    // MARK: Sessions

    public func createSession(_ session: OperatorSessionRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO operator_sessions (token_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [session.tokenHash, session.userName, session.csrfToken, StoreTimestamp.string(session.createdAt),
                            StoreTimestamp.string(session.expiresAt)])
            try db.execute(
                sql: """
                    DELETE FROM operator_sessions WHERE user_name = ? AND token_hash NOT IN (
                        SELECT token_hash FROM operator_sessions WHERE user_name = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)
                    """,
                arguments: [session.userName, session.userName, Self.maximumSessionsPerUser])
        }
    }

    public func session(tokenHash: String) throws(StoreError) -> OperatorSessionRecord? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM operator_sessions WHERE token_hash = ?"), arguments: [tokenHash]).map { row in
                OperatorSessionRecord(
                    tokenHash: row["token_hash"], userName: row["user_name"], csrfToken: row["csrf_token"],
                    createdAt: StoreTimestamp.date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                    expiresAt: StoreTimestamp.date(row["expires_at"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    public func deleteSession(tokenHash: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM operator_sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    public func deleteSessions(expiredBefore date: Date) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM operator_sessions WHERE expires_at < ?", arguments: [StoreTimestamp.string(date)]) }
    }

    // MARK: Schedules

    public func schedules() throws(StoreError) -> [ScheduleState] {
        try read { db in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM flow_schedules ORDER BY flow")).map(Self.schedule) }
    }

    public func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?) throws(StoreError) -> ScheduleState {
        try setSchedulePaused(flow: flow, paused: paused, actor: actor, reason: reason, origin: [:])
    }

    public func setSchedulePaused(flow: String, paused: Bool, actor: String, reason: String?, origin: [String: String]) throws(StoreError) -> ScheduleState {
        try write { db in
            let before = try Row.fetchOne(db, sql: "SELECT * FROM flow_schedules WHERE flow = ?", arguments: [flow]).map(Self.schedule)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO flow_schedules (flow, paused, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (flow) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
                    """,
                arguments: [flow, paused, StoreTimestamp.string(now)])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "flow", entityID: flow, fromState: before.map { $0.paused ? "paused" : "active" } ?? "active",
                           toState: paused ? "paused" : "active", reason: reason ?? (paused ? "schedule paused" : "schedule resumed"), payload: origin),
                at: now, in: db)
            var after = before ?? ScheduleState(flow: flow, paused: paused)
            after.paused = paused
            after.updatedAt = now
            return after
        }
    }

    public func setNextDue(flow: String, nextDue: Date?) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO flow_schedules (flow, paused, next_due, updated_at) VALUES (?, 0, ?, ?)
                    ON CONFLICT (flow) DO UPDATE SET next_due = excluded.next_due
                    """,
                arguments: [flow, nextDue.map(StoreTimestamp.string), StoreTimestamp.string(Date())])
        }
    }

    static func schedule(_ row: Row) -> ScheduleState {
        ScheduleState(
            flow: row["flow"], paused: row["paused"], everySeconds: row["every_seconds"], nextDue: StoreTimestamp.date(row["next_due"]),
            updatedAt: StoreTimestamp.date(row["updated_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    // MARK: Items and runs

    public func requeueItem(id: Int64, fields: [String: String], actor: String, reason: String?) throws(StoreError) -> WorkItem {
        let path = database.path
        return try write { db in
            guard let before = try Row.fetchOne(db, sql: "SELECT * FROM work_items WHERE id = ?", arguments: [id]).map(Self.workItem) else {
                throw StoreError(code: .notFound, path: path, message: "there is no work item \(id); `ferry items` lists them")
            }
            var payload = before.payload
            var changed: [String: String] = ["key": before.key, "run": before.runID]
            for (name, value) in fields where payload[name] != value {
                changed["field." + name] = "\(payload[name] ?? "") -> \(value)"
                payload[name] = value
            }
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE work_items SET state = 'new', payload = ?, last_error = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [Self.json(payload), StoreTimestamp.string(now), id])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue, toState: ItemState.new.rawValue,
                           reason: reason, payload: changed),
                at: now, in: db)
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
        let path = database.path
        let allowedStates = ItemState.allCases.filter(allowed.contains).map(\.rawValue)
        return try write { db in
            guard let before = try Row.fetchOne(db, sql: "SELECT * FROM work_items WHERE id = ?", arguments: [id]).map(Self.workItem) else {
                throw StoreError(code: .notFound, path: path, message: "there is no work item \(id); `ferry items` lists them")
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
            var arguments: StatementArguments = [state.rawValue, Self.json(payload), lastError, StoreTimestamp.string(now), id]
            _ = arguments.append(contentsOf: StatementArguments(allowedStates))
            // The compare-and-set: the state is checked by the write itself, not by an earlier read.
            try db.execute(
                sql: """
                    UPDATE work_items SET state = ?, payload = ?, last_error = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                    WHERE id = ? AND state IN (\(allowedStates.map { _ in "?" }.joined(separator: ", ")))
                    """,
                arguments: arguments)
            guard db.changesCount == 1 else { throw conflict }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "item", entityID: String(id), fromState: before.state.rawValue, toState: state.rawValue,
                           reason: reason, payload: audited),
                at: now, in: db)
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
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM checkpoints WHERE run_id = ? AND item_key = '' ORDER BY rowid"), arguments: [runID]).map { row in
                let step: Int = row["step"]
                return Checkpoint(
                    runID: row["run_id"], stage: row["stage"], step: step < 0 ? nil : step, itemKey: nil,
                    state: CheckpointState(rawValue: row["state"]) ?? .failed, attempt: row["attempt"],
                    updatedAt: StoreTimestamp.date(row["updated_at"]) ?? Date(), detail: row["detail"])
            }
        }
    }

    public func runItems(runID: String, limit: Int) throws(StoreError) -> (items: [WorkItem], total: Int) {
        try read { db in
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM work_items WHERE run_id = ?"), arguments: [runID]) ?? 0
            let items = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM work_items WHERE run_id = ? ORDER BY id LIMIT ?"), arguments: [runID, limit])
                .map(Self.workItem)
            return (items, total)
        }
    }

    public func listItems(_ query: ItemQuery) throws(StoreError) -> (items: [ItemListing], total: Int) {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !query.states.isEmpty {
                conditions.append("w.state IN (" + query.states.map { _ in "?" }.joined(separator: ", ") + ")")
                _ = arguments.append(contentsOf: StatementArguments(query.states.map(\.rawValue)))
            }
            if let flow = query.flow, !flow.isEmpty {
                conditions.append("r.flow = ?")
                _ = arguments.append(contentsOf: [flow])
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("(instr(lower(w.key), lower(?)) > 0 OR instr(lower(w.run_id), lower(?)) > 0 OR instr(lower(w.payload), lower(?)) > 0)")
                _ = arguments.append(contentsOf: [text, text, text])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let from = "FROM work_items w JOIN runs r ON r.id = w.run_id \(filter)"
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) \(from)"), arguments: arguments) ?? 0
            var page = arguments
            _ = page.append(contentsOf: [query.limit, query.offset])
            let items = try Row.fetchAll(db.cachedStatement(sql: "SELECT w.*, r.flow AS flow \(from) ORDER BY w.updated_at DESC, w.id DESC LIMIT ? OFFSET ?"), arguments: page)
                .map { ItemListing(item: Self.workItem($0), flow: $0["flow"]) }
            return (items, total)
        }
    }

    public func listRuns(_ query: RunQuery) throws(StoreError) -> (runs: [RunRecord], total: Int) {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !query.states.isEmpty {
                conditions.append("state IN (" + query.states.map { _ in "?" }.joined(separator: ", ") + ")")
                _ = arguments.append(contentsOf: StatementArguments(query.states.map(\.rawValue)))
            }
            if let flow = query.flow, !flow.isEmpty {
                conditions.append("flow = ?")
                _ = arguments.append(contentsOf: [flow])
            }
            if let text = query.text, !text.isEmpty {
                conditions.append("(instr(lower(id), lower(?)) > 0 OR instr(lower(inputs), lower(?)) > 0)")
                _ = arguments.append(contentsOf: [text, text])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM runs \(filter)"), arguments: arguments) ?? 0
            var page = arguments
            _ = page.append(contentsOf: [query.limit, query.offset])
            let runs = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM runs \(filter) ORDER BY started_at DESC LIMIT ? OFFSET ?"), arguments: page)
                .map(Self.runRecord)
            return (runs, total)
        }
    }

    public func itemCounts() throws(StoreError) -> [ItemState: Int] {
        try read { db in
            var counts: [ItemState: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT state, count(*) AS n FROM work_items GROUP BY state")) {
                if let state = ItemState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func itemsDone(since date: Date) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM work_items WHERE state = 'done' AND updated_at >= ?"),
                             arguments: [StoreTimestamp.string(date)]) ?? 0
        }
    }

    public func auditLog(aboutRun runID: String, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read { db in
            // The same rows as `ferry show` picks: the run's own ids (`RUN`, `RUN/stage/…`), its items by
            // number, and rows whose payload names the run. Each part is an index lookup (the id range
            // stands for `LIKE 'RUN/%'`, '0' being the character after '/'); only the payload search
            // scans, and only rows written since the run began.
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM (
                        SELECT * FROM audit_log WHERE entity_id = :run
                        UNION SELECT * FROM audit_log WHERE entity_id >= :run || '/' AND entity_id < :run || '0'
                        UNION SELECT * FROM audit_log
                            WHERE entity_type = 'item' AND entity_id IN (SELECT CAST(id AS TEXT) FROM work_items WHERE run_id = :run)
                        UNION SELECT * FROM audit_log
                            WHERE seq >= coalesce((SELECT min(seq) FROM audit_log WHERE entity_id = :run), 0) AND instr(payload, :named) > 0
                        ORDER BY seq DESC LIMIT :limit
                    ) ORDER BY seq
                    """),
                arguments: ["run": runID, "named": "\"run\":\"\(runID)\"", "limit": limit]
            ).map(Self.auditEntry)
        }
    }

    public func artifact(id: Int64) throws(StoreError) -> Artifact? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM artifacts WHERE id = ?"), arguments: [id]).map { row in
                Artifact(
                    id: row["id"], runID: row["run_id"], kind: Artifact.Kind(rawValue: row["kind"]) ?? .download, path: row["path"],
                    size: row["size"], sha256: row["sha256"], stage: row["stage"], step: row["step"], itemKey: row["item_key"],
                    name: row["name"], createdAt: StoreTimestamp.date(row["created_at"]) ?? Date())
            }
        }
    }
}
