import Foundation
import PostgresNIO
import Store

extension PostgresRunStore {
    public func createRun(_ run: RunRecord, actor: String) throws(StoreError) -> RunRecord {
        try write { transaction in
            try transaction.execute(
                """
                INSERT INTO runs (id, flow, flow_path, inputs, state, trigger, triggered_by, started_at, finished_at,
                                  current_stage, current_step, failure, process_group,
                                  flow_sha256, flow_outline, runs_directory, screenshots_directory)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [run.id, run.flow, run.flowPath, StoreJSON.text(run.inputs), run.state.rawValue, run.trigger.rawValue,
                 run.triggeredBy, StoreTimestamp.string(run.startedAt), run.finishedAt.map(StoreTimestamp.string),
                 run.currentStage, run.currentStep, run.failure, run.processGroup.map(Int64.init),
                 run.flowSHA256, StoreJSON.text(run.flowOutline), run.runsDirectory, run.screenshotsDirectory])
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: run.id, toState: run.state.rawValue,
                           reason: "started by \(run.triggeredBy) (\(run.trigger.rawValue))",
                           payload: ["flow": run.flow, "inputs": StoreJSON.text(run.inputs)]),
                at: run.startedAt)
            return run
        }
    }

    public func run(id: String) throws(StoreError) -> RunRecord? {
        try read { session in try session.row("SELECT * FROM runs WHERE id = ?", [id]).map(Self.runRecord) }
    }

    public func runs(flow: String?, limit: Int) throws(StoreError) -> [RunRecord] {
        try read { session in
            if let flow {
                return try session.rows("SELECT * FROM runs WHERE flow = ? ORDER BY started_at DESC LIMIT ?", [flow, limit]).map(Self.runRecord)
            }
            return try session.rows("SELECT * FROM runs ORDER BY started_at DESC LIMIT ?", [limit]).map(Self.runRecord)
        }
    }

    public func updateRun(id: String, actor: String, reason: String?, _ change: @Sendable (inout RunRecord) -> Void) throws(StoreError) -> RunRecord {
        let path = url.description
        return try write { transaction in
            guard let before = try transaction.row("SELECT * FROM runs WHERE id = ? FOR UPDATE", [id]).map(Self.runRecord) else {
                throw Self.notFound(path, "there is no run \(id); `ferry runs` lists the runs")
            }
            var after = before
            change(&after)
            try transaction.execute(
                """
                UPDATE runs SET state = ?, finished_at = ?, current_stage = ?, current_step = ?, failure = ?, process_group = ?,
                                inputs = ?, flow_path = ?, flow_sha256 = ?, flow_outline = ?, runs_directory = ?,
                                screenshots_directory = ?
                WHERE id = ?
                """,
                [after.state.rawValue, after.finishedAt.map(StoreTimestamp.string), after.currentStage, after.currentStep,
                 after.failure, after.processGroup.map(Int64.init), StoreJSON.text(after.inputs), after.flowPath, after.flowSHA256,
                 StoreJSON.text(after.flowOutline), after.runsDirectory, after.screenshotsDirectory, id])
            if before.state != after.state || reason != nil {
                try transaction.appendAudit(
                    AuditEvent(actor: actor, entityType: "run", entityID: id, fromState: before.state.rawValue,
                               toState: after.state.rawValue, reason: reason ?? after.failure))
            }
            return after
        }
    }

    static func runRecord(_ row: PostgresRandomAccessRow) throws -> RunRecord {
        RunRecord(
            id: try row.text("id"), flow: try row.text("flow"), flowPath: try row.text("flow_path"),
            inputs: StoreJSON.dictionary(try row.text("inputs")),
            state: RunState(rawValue: try row.text("state")) ?? .failed, trigger: RunTrigger(rawValue: try row.text("trigger")) ?? .cli,
            triggeredBy: try row.text("triggered_by"), startedAt: try row.date("started_at") ?? Date(timeIntervalSince1970: 0),
            finishedAt: try row.date("finished_at"), currentStage: try row.optionalText("current_stage"),
            currentStep: try row.optionalText("current_step"), failure: try row.optionalText("failure"),
            processGroup: try row.optionalInt64("process_group").map { Int32(truncatingIfNeeded: $0) },
            flowSHA256: try row.optionalText("flow_sha256"), flowOutline: StoreJSON.outline(try row.optionalText("flow_outline")),
            runsDirectory: try row.optionalText("runs_directory"), screenshotsDirectory: try row.optionalText("screenshots_directory"))
    }

    // MARK: Checkpoints

    public func checkpoint(_ checkpoint: Checkpoint, actor: String) throws(StoreError) {
        try self.checkpoint([checkpoint], actor: actor)
    }

    public func checkpoint(_ checkpoints: [Checkpoint], actor: String) throws(StoreError) {
        guard !checkpoints.isEmpty else { return }
        try write { transaction in
            for checkpoint in checkpoints { try Self.write(checkpoint, actor: actor, in: transaction) }
        }
    }

    private static func write(_ checkpoint: Checkpoint, actor: String, in transaction: PostgresTransaction) throws {
        // The state before, read by the upsert itself (the old row as the statement found it).
        let previous = try transaction.row(
            """
            WITH old AS (SELECT state FROM checkpoints WHERE run_id = ? AND stage = ? AND step = ? AND item_key = ?),
            upserted AS (
                INSERT INTO checkpoints (run_id, stage, step, item_key, state, attempt, updated_at, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, stage, step, item_key) DO UPDATE SET
                    state = excluded.state, attempt = excluded.attempt, updated_at = excluded.updated_at, detail = excluded.detail
            )
            SELECT (SELECT state FROM old) AS state
            """,
            [checkpoint.runID, checkpoint.stage, checkpoint.step ?? -1, checkpoint.itemKey ?? "",
             checkpoint.runID, checkpoint.stage, checkpoint.step ?? -1, checkpoint.itemKey ?? "",
             checkpoint.state.rawValue, checkpoint.attempt, StoreTimestamp.string(checkpoint.updatedAt), checkpoint.detail]
        )?.optionalText("state")
        var entityID = "\(checkpoint.runID)/\(checkpoint.stage)"
        if let step = checkpoint.step { entityID += "/\(step + 1)" }
        if let item = checkpoint.itemKey { entityID += "@\(item)" }
        try transaction.appendAudit(
            AuditEvent(actor: actor, entityType: checkpoint.step == nil ? "stage" : "step", entityID: entityID,
                       fromState: previous, toState: checkpoint.state.rawValue, reason: checkpoint.detail,
                       payload: checkpoint.attempt > 1 ? ["attempt": String(checkpoint.attempt)] : [:]),
            at: checkpoint.updatedAt)
    }

    public func checkpoints(runID: String) throws(StoreError) -> [Checkpoint] {
        try read { session in try session.rows("SELECT * FROM checkpoints WHERE run_id = ? ORDER BY ord", [runID]).map(Self.checkpoint) }
    }

    static func checkpoint(_ row: PostgresRandomAccessRow) throws -> Checkpoint {
        let step = try row.int("step")
        let item = try row.text("item_key")
        return Checkpoint(
            runID: try row.text("run_id"), stage: try row.text("stage"), step: step < 0 ? nil : step, itemKey: item.isEmpty ? nil : item,
            state: CheckpointState(rawValue: try row.text("state")) ?? .failed, attempt: try row.int("attempt"),
            updatedAt: try row.date("updated_at") ?? Date(), detail: try row.optionalText("detail"))
    }

    // MARK: Variables

    public func setVariables(_ values: [String: String], runID: String, actor: String) throws(StoreError) {
        guard !values.isEmpty else { return }
        try write { transaction in
            for (name, value) in values {
                try transaction.execute(
                    "INSERT INTO variables (run_id, name, value) VALUES (?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value",
                    [runID, name, value])
            }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: runID, reason: "captured " + values.keys.sorted().joined(separator: ", "),
                           payload: values))
        }
    }

    public func variables(runID: String) throws(StoreError) -> [String: String] {
        try read { session in
            var result: [String: String] = [:]
            for row in try session.rows("SELECT name, value FROM variables WHERE run_id = ?", [runID]) {
                result[try row.text("name")] = try row.text("value")
            }
            return result
        }
    }

    // MARK: Artifacts

    @discardableResult
    public func recordArtifact(_ artifact: Artifact, actor: String) throws(StoreError) -> Artifact {
        try write { transaction in
            let id = try transaction.row(
                """
                INSERT INTO artifacts (run_id, kind, path, size, sha256, stage, step, item_key, name, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                [artifact.runID, artifact.kind.rawValue, artifact.path, artifact.size, artifact.sha256, artifact.stage,
                 artifact.step, artifact.itemKey, artifact.name, StoreTimestamp.string(artifact.createdAt)])?.int64("id") ?? 0
            var saved = artifact
            saved.id = id
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "artifact", entityID: String(saved.id), toState: artifact.kind.rawValue,
                           reason: "saved \(artifact.path)",
                           payload: ["run": artifact.runID, "sha256": artifact.sha256, "size": String(artifact.size)]))
            return saved
        }
    }

    public func artifacts(runID: String) throws(StoreError) -> [Artifact] {
        try read { session in try session.rows("SELECT * FROM artifacts WHERE run_id = ? ORDER BY id", [runID]).map(Self.artifact) }
    }

    public func artifact(id: Int64) throws(StoreError) -> Artifact? {
        try read { session in try session.row("SELECT * FROM artifacts WHERE id = ?", [id]).map(Self.artifact) }
    }

    static func artifact(_ row: PostgresRandomAccessRow) throws -> Artifact {
        Artifact(
            id: try row.int64("id"), runID: try row.text("run_id"), kind: Artifact.Kind(rawValue: try row.text("kind")) ?? .download,
            path: try row.text("path"), size: try row.int("size"), sha256: try row.text("sha256"), stage: try row.optionalText("stage"),
            step: try row.optionalInt("step"), itemKey: try row.optionalText("item_key"), name: try row.optionalText("name"),
            createdAt: try row.date("created_at") ?? Date())
    }

    // MARK: Figures

    public func runCounts() throws(StoreError) -> [(flow: String, state: RunState, count: Int)] {
        try read { session in
            try session.rows("SELECT flow, state, COUNT(*) AS n FROM runs GROUP BY flow, state ORDER BY flow, state").compactMap { row in
                guard let state = RunState(rawValue: try row.text("state")) else { return nil }
                return (flow: try row.text("flow"), state: state, count: try row.int("n"))
            }
        }
    }
}
