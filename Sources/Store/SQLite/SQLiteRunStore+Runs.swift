import Foundation
import GRDB

extension SQLiteRunStore {
    public func createRun(_ run: RunRecord, actor: String) throws(StoreError) -> RunRecord {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, flow, flow_path, inputs, state, trigger, triggered_by, started_at, finished_at,
                                      current_stage, current_step, failure, process_group,
                                      flow_sha256, flow_outline, runs_directory, screenshots_directory)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [run.id, run.flow, run.flowPath, Self.json(run.inputs), run.state.rawValue, run.trigger.rawValue,
                            run.triggeredBy, StoreTimestamp.string(run.startedAt), run.finishedAt.map(StoreTimestamp.string),
                            run.currentStage, run.currentStep, run.failure, run.processGroup,
                            run.flowSHA256, Self.json(run.flowOutline), run.runsDirectory, run.screenshotsDirectory])
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: run.id, toState: run.state.rawValue,
                           reason: "started by \(run.triggeredBy) (\(run.trigger.rawValue))",
                           payload: ["flow": run.flow, "inputs": Self.json(run.inputs)]),
                at: run.startedAt, in: db)
            return run
        }
    }

    public func run(id: String) throws(StoreError) -> RunRecord? {
        try read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM runs WHERE id = ?"), arguments: [id]).map(Self.runRecord) }
    }

    public func runs(flow: String?, limit: Int) throws(StoreError) -> [RunRecord] {
        try read { db in
            if let flow {
                return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM runs WHERE flow = ? ORDER BY started_at DESC LIMIT ?"), arguments: [flow, limit])
                    .map(Self.runRecord)
            }
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM runs ORDER BY started_at DESC LIMIT ?"), arguments: [limit]).map(Self.runRecord)
        }
    }

    public func updateRun(id: String, actor: String, reason: String?, _ change: @Sendable (inout RunRecord) -> Void) throws(StoreError) -> RunRecord {
        let path = database.path
        return try write { db in
            guard let before = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map(Self.runRecord) else {
                throw StoreError(code: .notFound, path: path, message: "there is no run \(id); `ferry runs` lists the runs")
            }
            var after = before
            change(&after)
            try db.execute(
                sql: """
                    UPDATE runs SET state = ?, finished_at = ?, current_stage = ?, current_step = ?, failure = ?, process_group = ?,
                                    inputs = ?, flow_path = ?, flow_sha256 = ?, flow_outline = ?, runs_directory = ?,
                                    screenshots_directory = ?
                    WHERE id = ?
                    """,
                arguments: [after.state.rawValue, after.finishedAt.map(StoreTimestamp.string), after.currentStage, after.currentStep,
                            after.failure, after.processGroup, Self.json(after.inputs), after.flowPath, after.flowSHA256,
                            Self.json(after.flowOutline), after.runsDirectory, after.screenshotsDirectory, id])
            if before.state != after.state || reason != nil {
                try Self.appendAudit(
                    AuditEvent(actor: actor, entityType: "run", entityID: id, fromState: before.state.rawValue,
                               toState: after.state.rawValue, reason: reason ?? after.failure),
                    in: db)
            }
            return after
        }
    }

    static func runRecord(_ row: Row) -> RunRecord {
        RunRecord(
            id: row["id"], flow: row["flow"], flowPath: row["flow_path"], inputs: dictionary(row["inputs"]),
            state: RunState(rawValue: row["state"]) ?? .failed, trigger: RunTrigger(rawValue: row["trigger"]) ?? .cli,
            triggeredBy: row["triggered_by"], startedAt: StoreTimestamp.date(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
            finishedAt: StoreTimestamp.date(row["finished_at"]), currentStage: row["current_stage"], currentStep: row["current_step"],
            failure: row["failure"], processGroup: row["process_group"], flowSHA256: row["flow_sha256"],
            flowOutline: outline(row["flow_outline"]), runsDirectory: row["runs_directory"],
            screenshotsDirectory: row["screenshots_directory"])
    }

    // MARK: Checkpoints

    public func checkpoint(_ checkpoint: Checkpoint, actor: String) throws(StoreError) {
        try self.checkpoint([checkpoint], actor: actor)
    }

    public func checkpoint(_ checkpoints: [Checkpoint], actor: String) throws(StoreError) {
        guard !checkpoints.isEmpty else { return }
        try write { db in
            for checkpoint in checkpoints { try Self.write(checkpoint, actor: actor, in: db) }
        }
    }

    private static func write(_ checkpoint: Checkpoint, actor: String, in db: Database) throws {
        let previous = try String.fetchOne(
            db.cachedStatement(sql: "SELECT state FROM checkpoints WHERE run_id = ? AND stage = ? AND step = ? AND item_key = ?"),
            arguments: [checkpoint.runID, checkpoint.stage, checkpoint.step ?? -1, checkpoint.itemKey ?? ""])
        try db.cachedStatement(
            sql: """
                INSERT INTO checkpoints (run_id, stage, step, item_key, state, attempt, updated_at, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, stage, step, item_key) DO UPDATE SET
                    state = excluded.state, attempt = excluded.attempt, updated_at = excluded.updated_at, detail = excluded.detail
                """
        ).execute(
            arguments: [checkpoint.runID, checkpoint.stage, checkpoint.step ?? -1, checkpoint.itemKey ?? "",
                        checkpoint.state.rawValue, checkpoint.attempt, StoreTimestamp.string(checkpoint.updatedAt), checkpoint.detail])
        var entityID = "\(checkpoint.runID)/\(checkpoint.stage)"
        if let step = checkpoint.step { entityID += "/\(step + 1)" }
        if let item = checkpoint.itemKey { entityID += "@\(item)" }
        try Self.appendAudit(
            AuditEvent(actor: actor, entityType: checkpoint.step == nil ? "stage" : "step", entityID: entityID,
                       fromState: previous, toState: checkpoint.state.rawValue, reason: checkpoint.detail,
                       payload: checkpoint.attempt > 1 ? ["attempt": String(checkpoint.attempt)] : [:]),
            at: checkpoint.updatedAt, in: db)
    }

    public func checkpoints(runID: String) throws(StoreError) -> [Checkpoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM checkpoints WHERE run_id = ? ORDER BY rowid", arguments: [runID]).map { row in
                let step: Int = row["step"]
                let item: String = row["item_key"]
                return Checkpoint(
                    runID: row["run_id"], stage: row["stage"], step: step < 0 ? nil : step, itemKey: item.isEmpty ? nil : item,
                    state: CheckpointState(rawValue: row["state"]) ?? .failed, attempt: row["attempt"],
                    updatedAt: StoreTimestamp.date(row["updated_at"]) ?? Date(), detail: row["detail"])
            }
        }
    }

    // MARK: Variables

    public func setVariables(_ values: [String: String], runID: String, actor: String) throws(StoreError) {
        guard !values.isEmpty else { return }
        try write { db in
            for (name, value) in values {
                try db.execute(
                    sql: "INSERT INTO variables (run_id, name, value) VALUES (?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value",
                    arguments: [runID, name, value])
            }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: runID, reason: "captured " + values.keys.sorted().joined(separator: ", "),
                           payload: values),
                in: db)
        }
    }

    public func variables(runID: String) throws(StoreError) -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, value FROM variables WHERE run_id = ?"), arguments: [runID]) {
                result[row["name"]] = row["value"]
            }
            return result
        }
    }

    // MARK: Artifacts

    @discardableResult
    public func recordArtifact(_ artifact: Artifact, actor: String) throws(StoreError) -> Artifact {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO artifacts (run_id, kind, path, size, sha256, stage, step, item_key, name, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [artifact.runID, artifact.kind.rawValue, artifact.path, artifact.size, artifact.sha256, artifact.stage,
                            artifact.step, artifact.itemKey, artifact.name, StoreTimestamp.string(artifact.createdAt)])
            var saved = artifact
            saved.id = db.lastInsertedRowID
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "artifact", entityID: String(saved.id), toState: artifact.kind.rawValue,
                           reason: "saved \(artifact.path)",
                           payload: ["run": artifact.runID, "sha256": artifact.sha256, "size": String(artifact.size)]),
                in: db)
            return saved
        }
    }

    public func artifacts(runID: String) throws(StoreError) -> [Artifact] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM artifacts WHERE run_id = ? ORDER BY id"), arguments: [runID]).map { row in
                Artifact(
                    id: row["id"], runID: row["run_id"], kind: Artifact.Kind(rawValue: row["kind"]) ?? .download, path: row["path"],
                    size: row["size"], sha256: row["sha256"], stage: row["stage"], step: row["step"], itemKey: row["item_key"],
                    name: row["name"], createdAt: StoreTimestamp.date(row["created_at"]) ?? Date())
            }
        }
    }
}
