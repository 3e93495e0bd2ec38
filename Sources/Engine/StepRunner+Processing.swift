import Extract
import Flows
import Foundation
import Store

extension StepRunner {
    // MARK: Normalize

    /// Cleans up the named fields of every record; a record that does not fit is marked for review,
    /// dropped, or stops the run, as the step says.
    func runNormalize(_ normalize: NormalizeStep, _ context: StepContext) async throws(StepFailure) {
        guard let rows = await execution.memory.records[normalize.records] else {
            throw context.failure("there are no records named '\(normalize.records)' (read or extract them first)", errorClass: .application)
        }
        let normalizers = normalize.fields.map {
            FieldNormalizer(field: $0.name, type: $0.type, required: $0.required, dateFormats: $0.formats, timeZone: $0.timeZone.flatMap(TimeZone.init(identifier:)))
        }
        var cleaned: [[String: String]] = []
        var marked = 0
        var skipped = 0
        for (index, row) in rows.enumerated() {
            var record = row
            var problems: [String] = []
            for normalizer in normalizers {
                do {
                    record[normalizer.field] = try normalizer.normalize(row[normalizer.field] ?? "")
                } catch {
                    problems.append(error.description)
                }
            }
            if problems.isEmpty {
                cleaned.append(record)
                continue
            }
            if let reason = context.step.reason {
                var rowContext = context
                rowContext.template.rows["row"] = row.mapValues(TemplateValue.text)
                problems = [try renderValue(reason, rowContext) + " (" + problems.joined(separator: "; ") + ")"]
            }
            switch normalize.invalid {
            case .fail:
                throw context.failure(
                    "record \(index + 1) of '\(normalize.records)' does not fit: \(problems.joined(separator: "; ")). Correct it in the source system, then resume the run",
                    errorClass: .business)
            case .skip:
                skipped += 1
                execution.audit("skipped record \(index + 1) of '\(normalize.records)': \(problems.joined(separator: "; "))", context: context)
            case .review:
                // The record keeps the values it came with, so the reviewer sees what the source said.
                var kept = row
                kept[NormalizeStep.reviewField] = ([row[NormalizeStep.reviewField]].compactMap { $0 } + problems).joined(separator: "; ")
                cleaned.append(kept)
                marked += 1
            }
        }
        try await execution.remember(records: cleaned, named: normalize.records, context: context)
        execution.audit(
            "normalized \(normalize.fields.map(\.name).joined(separator: ", ")) of \(rows.count) records in '\(normalize.records)': "
                + "\(rows.count - marked - skipped) clean, \(marked) marked for review, \(skipped) skipped",
            context: context)
    }

    // MARK: Reshape

    /// Filters, renames, computes and projects records, in place or into another variable.
    func runReshape(_ reshape: ReshapeStep, _ context: StepContext) async throws(StepFailure) {
        guard let rows = await execution.memory.records[reshape.records] ?? context.template.vars[reshape.records].flatMap(Self.records) else {
            throw context.failure("there are no records named '\(reshape.records)' (read or extract them first)", errorClass: .application)
        }
        var result: [[String: String]] = []
        result.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            var rowContext = context
            rowContext.template.rows["row"] = row.mapValues(TemplateValue.text)
            if let filter = reshape.filter, !(try holds(filter, rowContext, what: "its `where:`")) { continue }
            var record = row
            for rename in reshape.renames {
                guard let value = record.removeValue(forKey: rename.from) else { continue }
                if record[rename.to] != nil, !reshape.renames.contains(where: { $0.from == rename.to }) {
                    throw context.failure(
                        "record \(index + 1) of '\(reshape.records)' already has a field '\(rename.to)'; renaming '\(rename.from)' to it would overwrite it",
                        errorClass: .application)
                }
                record[rename.to] = value
            }
            // Renames apply together: `{ a: b, b: a }` swaps.
            if reshape.renames.count > 1 {
                record = row
                for rename in reshape.renames { record[rename.from] = nil }
                for rename in reshape.renames { if let value = row[rename.from] { record[rename.to] = value } }
            }
            rowContext.template.rows["row"] = record.mapValues(TemplateValue.text)
            for addition in reshape.additions {
                record[addition.name] = try renderValue(addition.value, rowContext)
            }
            if let keep = reshape.keep {
                let review = record[NormalizeStep.reviewField]
                record = record.filter { keep.contains($0.key) }
                record[NormalizeStep.reviewField] = review
            }
            result.append(record)
        }
        try await execution.remember(records: result, named: reshape.target, context: context)
        execution.audit("reshaped \(rows.count) records of '\(reshape.records)' into \(result.count) records of '\(reshape.target)'", context: context)
    }

    private static func records(_ value: TemplateValue) -> [[String: String]]? {
        if case .records(let rows) = value.content { return rows }
        return nil
    }

    /// Whether a `where:` holds for the record in `context`; a condition that cannot be evaluated stops the step.
    func holds(_ condition: Condition, _ context: StepContext, what: String) throws(StepFailure) -> Bool {
        do {
            return try condition.evaluate(in: context.template)
        } catch {
            throw context.failure("\(what) cannot be evaluated: \(error)", errorClass: .application)
        }
    }

    // MARK: Reconcile

    /// Checks every gate; all are checked and reported before a failure stops the run, so the error
    /// shows every figure that is off at once.
    func runReconcile(_ reconcile: ReconcileStep, _ context: StepContext) async throws(StepFailure) {
        var records = await execution.memory.records
        // A captured figure is text: a page's own count, set before this step.
        var captured: [String: String] = [:]
        for (name, value) in context.template.vars {
            switch value.content {
            case .text(let text): captured[name] = text
            case .records(let rows): records[name] = records[name] ?? rows
            }
        }
        var failures: [String] = []
        var figures: [String: String] = [:]
        for gate in reconcile.gates {
            let verdict = try await check(gate, records: records, captured: captured, context)
            execution.auditGate(gate, verdict: verdict, context: context)
            if let failure = verdict.failure { failures.append(failure) } else { figures.merge(verdict.figuresToKeep) { _, new in new } }
        }
        guard failures.isEmpty else {
            throw context.failure(
                (failures.count == 1 ? "a reconciliation gate failed: " : "\(failures.count) reconciliation gates failed: ")
                    + failures.joined(separator: "; ")
                    + ". The run stopped before anything was uploaded; find out why the figures differ, then resume the run",
                errorClass: .business)
        }
        try await execution.remember(figures, context: context)
    }

    /// A gate's outcome: its figures and, when it failed, why.
    struct GateVerdict {
        var figure: String
        var compared: [String: String]
        var failure: String?
        var note: String
        var figuresToKeep: [String: String]
    }

    private func check(_ gate: ReconcileStep.Gate, records: [String: [[String: String]]], captured: [String: String], _ context: StepContext) async throws(StepFailure) -> GateVerdict {
        let figure: GateFigure
        do {
            figure = try GateFigure(gate.figure, records: records, captured: captured)
        } catch {
            throw context.failure("gate '\(gate.name)': \(error.description)", errorClass: .application)
        }
        var compared: [String: String] = [:]
        var failures: [String] = []
        var notes: [String] = []
        if let equals = gate.equals {
            let other: GateFigure
            do {
                other = try GateFigure(equals, records: records, captured: captured)
            } catch {
                throw context.failure("gate '\(gate.name)': \(error.description)", errorClass: .application)
            }
            compared[equals.description] = other.text
            let difference = figure.value - other.value
            let magnitude = difference < 0 ? -difference : difference
            if magnitude > Decimal(gate.tolerance) {
                failures.append("\(gate.figure) = \(figure.text), but \(equals) = \(other.text) (difference \(GateFigure.text(difference, scale: max(figure.scale, other.scale))))")
            } else {
                notes.append("\(gate.figure) = \(figure.text) agrees with \(equals) = \(other.text)")
            }
        }
        let baseline = try gate.baseline.map { template throws(StepFailure) in try render(template, context) }
        var keep = ["reconcile.\(gate.name)": figure.text]
        if let baseline { keep["reconcile.\(gate.name).baseline"] = baseline }
        if let percent = gate.withinPercent {
            if let last = lastFigure(of: gate, baseline: baseline) {
                compared["last completed run \(last.runID)"] = GateFigure.text(last.value, scale: figure.scale)
                let change = last.value == 0 ? (figure.value == 0 ? 0 : 100) : (figure.value - last.value) / last.value * 100
                let changeText = String(format: "%+.1f%%", NSDecimalNumber(decimal: change).doubleValue)
                let within = NSDecimalNumber(decimal: change).doubleValue.magnitude <= percent
                let line = "\(gate.figure) = \(figure.text); the last completed run \(last.runID)\(baseline.map { " (baseline \($0))" } ?? "") had \(GateFigure.text(last.value, scale: figure.scale)): \(changeText), allowed ±\(Self.percentText(percent))"
                if within { notes.append(line) } else { failures.append(line) }
            } else {
                notes.append("\(gate.figure) = \(figure.text); no earlier completed run\(baseline.map { " with baseline \($0)" } ?? "") to compare with")
            }
        }
        return GateVerdict(
            figure: figure.text, compared: compared, failure: failures.isEmpty ? nil : "gate '\(gate.name)'" + (gate.says.map { " (\($0))" } ?? "") + ": " + failures.joined(separator: "; "),
            note: (failures + notes).joined(separator: "; "), figuresToKeep: keep)
    }

    /// The same gate's figure in the newest completed run of the flow with the same baseline.
    private func lastFigure(of gate: ReconcileStep.Gate, baseline: String?) -> (runID: String, value: Decimal)? {
        let runs = (try? store.runs(flow: flow.name, limit: 200)) ?? []
        for run in runs where run.id != execution.runID && (run.state == .succeeded || run.state == .needsReview) {
            guard let variables = try? store.variables(runID: run.id), let text = variables["reconcile.\(gate.name)"],
                variables["reconcile.\(gate.name).baseline"] == baseline,
                let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
            else { continue }
            return (run.id, value)
        }
        return nil
    }

    private static func percentText(_ percent: Double) -> String {
        percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }
}

extension RunExecution {
    /// Every gate is an audit row, passed or failed, with its figures in the payload.
    func auditGate(_ gate: ReconcileStep.Gate, verdict: StepRunner.GateVerdict, context: StepContext) {
        var payload = verdict.compared
        payload["figure"] = verdict.figure
        payload["run"] = runID
        payload["stage"] = context.stage.name
        try? store.appendAudit(
            AuditEvent(
                actor: actor(for: context), entityType: "gate", entityID: "\(runID)/\(gate.name)", fromState: nil,
                toState: verdict.failure == nil ? "passed" : "failed",
                reason: redact("gate '\(gate.name)' \(verdict.failure == nil ? "passed" : "failed"): \(verdict.note)"), payload: payload))
        emit(.gateChecked(name: gate.name, passed: verdict.failure == nil, figures: redact(verdict.note)))
    }
}
