import Flows
import Foundation
import Store
import WebDriver

/// The run's bookkeeping: checkpoints, audit rows, captured values, and what people are told.
extension RunExecution {
    func emit(_ event: RunEvent) {
        options.onEvent?(event)
    }

    /// Replaces every secret value in play with `•••`.
    func redact(_ text: String) -> String {
        secretValues.redact(text)
    }

    func actor(for context: StepContext) -> String {
        context.itemKey == nil ? "engine" : "worker"
    }

    func checkpoint(stage: Stage, step: Int? = nil, item: String? = nil, state: CheckpointState, attempt: Int = 1, detail: String? = nil) {
        var none: Checkpoint?
        checkpoint(stage: stage, step: step, item: item, state: state, attempt: attempt, detail: detail, after: &none)
    }

    /// Writes a checkpoint together with one held back (a step's completion), in one commit.
    func checkpoint(stage: Stage, step: Int? = nil, item: String? = nil, state: CheckpointState, attempt: Int = 1, detail: String? = nil,
                    after held: inout Checkpoint?) {
        let checkpoint = Checkpoint(runID: runID, stage: stage.name, step: step, itemKey: item, state: state, attempt: attempt, detail: detail.map(redact))
        write((held.map { [$0] } ?? []) + [checkpoint])
        held = nil
    }

    /// Writes checkpoints of one stage (and item) in one transaction; a store failure is logged, not fatal.
    func write(_ checkpoints: [Checkpoint]) {
        guard let last = checkpoints.last else { return }
        do {
            try store.checkpoint(checkpoints, actor: last.itemKey == nil ? "engine" : "worker")
        } catch {
            options.logger.error("could not write the checkpoint of \(last.stage) step \(last.step.map { String($0 + 1) } ?? "-"): \(error)")
        }
    }

    func updateRun(_ change: @Sendable (inout RunRecord) -> Void) {
        _ = try? store.updateRun(id: runID, actor: "engine", reason: nil, change)
    }

    /// A stage's audit row; `state` marks a transition the report counts (`retrying`).
    func audit(stage: Stage, _ reason: String, item: String? = nil, state: String? = nil) {
        try? store.appendAudit(
            AuditEvent(actor: item == nil ? "engine" : "worker", entityType: "stage", entityID: "\(runID)/\(stage.name)" + (item.map { "@\($0)" } ?? ""),
                       toState: state, reason: redact(reason)))
    }

    func audit(_ reason: String, context: StepContext) {
        try? store.appendAudit(
            AuditEvent(actor: actor(for: context), entityType: "step",
                       entityID: "\(runID)/\(context.stage.name)/\(context.number)" + (context.itemKey.map { "@\($0)" } ?? ""),
                       reason: redact(reason)))
    }

    /// A fallback selector matched where the primary did not: the UI has drifted.
    func recordDrift(key: String, matched: String, position: Int, primary: String, context: StepContext) {
        try? store.appendAudit(
            AuditEvent(actor: actor(for: context), entityType: "selector", entityID: key, fromState: "primary", toState: "fallback \(position + 1)",
                       reason: "'\(key)': the primary \(primary) did not match; fallback \(matched) did. Update the flow's selectors before it breaks too.",
                       payload: ["run": runID, "stage": context.stage.name, "step": String(context.number), "matched": matched]))
        options.logger.warning("selector drift: '\(key)' matched fallback \(matched) (primary \(primary) did not)")
    }

    /// Fills in what templates see at this step: captured values, records, the stage, step and item.
    func fill(_ template: inout TemplateContext, stage: Stage, index: Int, item: WorkItem?) async {
        let variables = await memory.variables
        let records = await memory.records
        for (name, value) in variables { template.vars[name] = .text(value) }
        for (name, rows) in records { template.vars[name] = .records(rows) }
        template.stage = ["name": .text(stage.name)]
        template.step = ["number": .text(String(index + 1)), "index": .text(String(index))]
        if let item {
            // The record keeps its own fields (a field named `id` is the record's id); Ferry's facts
            // about the item live under `work.`.
            template.item = item.payload.mapValues(TemplateValue.text)
            template.work = ["id": .text(String(item.id)), "key": .text(item.key), "attempt": .text(String(max(1, item.attempts)))]
        }
    }

    func evaluate(_ condition: Condition, stage: Stage) throws(StepFailure) -> Bool {
        do {
            return try condition.evaluate(in: baseContext)
        } catch {
            throw StepFailure(stage: stage.name, stepNumber: 0, stepName: "if:", location: stage.location, message: "its if: cannot be evaluated: \(error)")
        }
    }

    /// Saves captured values (durably, so they survive a resume).
    func remember(_ values: [String: String], context: StepContext) async throws(StepFailure) {
        if let scope = context.scope {
            for (name, value) in values { scope.set(name, .text(value)) }
            audit("captured " + values.map { "\($0.key)=\(redact($0.value))" }.sorted().joined(separator: ", "), context: context)
            return
        }
        do {
            try await memory.set(values, actor: actor(for: context))
        } catch {
            throw context.failure("the store could not save the captured values: \(error)", errorClass: .application)
        }
    }

    func remember(records rows: [[String: String]], named name: String, context: StepContext) async throws(StepFailure) {
        if let scope = context.scope {
            scope.set(name, .records(rows))
            audit("\(rows.count) records into '\(name)' for this item", context: context)
            return
        }
        do {
            try await memory.setRecords(rows, named: name, stage: context.stage.name, step: context.index, actor: actor(for: context))
        } catch {
            throw context.failure("could not keep the records '\(name)': \(error)", errorClass: .application)
        }
        audit("\(rows.count) records into '\(name)'", context: context)
    }

    /// A file path from a flow: absolute as is; relative ones are looked up in the run's files folder first.
    func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let inRun = filesFolder + "/" + path
        if FileManager.default.fileExists(atPath: inRun) { return inRun }
        if FileManager.default.fileExists(atPath: path) { return BrowserOptions.absolute(path) }
        return inRun
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
