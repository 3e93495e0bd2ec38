import Flows
import Foundation
import Store
import WebDriver

/// Runs flows as resumable state machines: every stage and step transition is a checkpoint, written
/// with its audit row, so a crash costs only the time to resume.
///
///     let runner = FlowRunner(store: try SQLiteRunStore(path: "ferry.db"), options: options)
///     let outcome = try await runner.start(flowPath: "flows/clinic-daily-sync.yaml")
///     exit(outcome.exitCode)
public struct FlowRunner: Sendable {
    public let store: any RunStore
    public let options: RunOptions

    public init(store: any RunStore, options: RunOptions) {
        self.store = store
        self.options = options
    }

    /// Loads the flow, records a new run and runs it to the end.
    public func start(flowPath: String) async throws(RunError) -> RunOutcome {
        let flow = try load(flowPath)
        let secrets = try resolveSecrets(flow)
        let now = Date()
        let inputs = try renderInputs(flow, secrets: secrets, now: now)
        let runID = Self.newRunID(flow: flow.name, at: now)
        let fingerprint = FlowFingerprint(flow)
        let record = RunRecord(
            id: runID, flow: flow.name, flowPath: BrowserOptions.absolute(flowPath), inputs: inputs, trigger: options.trigger,
            triggeredBy: options.actor, startedAt: now, flowSHA256: fingerprint.sha256, flowOutline: fingerprint.outline,
            runsDirectory: BrowserOptions.absolute(options.runsDirectory),
            screenshotsDirectory: BrowserOptions.absolute(options.screenshotsDirectory))
        do {
            _ = try store.createRun(record, actor: options.actor)
        } catch {
            throw RunError("cannot record the run: \(error)")
        }
        let execution = try RunExecution(flow: flow, run: record, secrets: secrets, store: store, options: options, resumed: false)
        return try await execute(execution)
    }

    /// Continues a run that was interrupted or failed, at its first unfinished stage, from any folder.
    ///
    /// Browsers a killed run left behind are ended first. Stages marked `session: true` run again
    /// before the first unfinished stage; downloads already made are reused while their sha256 matches;
    /// side effects already done are not repeated. The flow is loaded from the absolute path the run
    /// recorded, and the run's own `--runs` and `--screenshots` folders are used (unless the options
    /// override them). A flow whose stages or steps changed since the run started is refused, saying what
    /// changed, unless `acceptFlowChange` (which is audited): checkpoints are by step index.
    public func resume(runID: String, acceptFlowChange: Bool = false) async throws(RunError) -> RunOutcome {
        let found: RunRecord?
        do {
            found = try store.run(id: runID)
        } catch {
            throw RunError("cannot read run \(runID): \(error)")
        }
        guard var record = found else {
            throw RunError("there is no run \(runID); `ferry runs` lists the runs")
        }
        // A finished run is resumed only for items a person put back in the queue (a retry, a redo).
        let queued = (try? store.items(runID: runID, states: [.new, .processing]).count) ?? 0
        if record.state == .succeeded, queued == 0 {
            throw RunError("run \(runID) already succeeded; there is nothing to resume")
        }
        // Only a run whose process died while running can have left browsers: a run that ended stopped
        // its own, and its recorded group id may by now be another program's.
        if record.state == .running, let group = record.processGroup {
            ChromeDriverService.reap(processGroup: group)
        }
        if !record.flowPath.hasPrefix("/"), !FileManager.default.fileExists(atPath: record.flowPath) {
            throw RunError(
                "run \(runID) recorded its flow as \(record.flowPath), relative to the folder it was started in "
                    + "(as older versions of Ferry did); resume it from that folder")
        }
        let flow = try load(record.flowPath)
        let fingerprint = FlowFingerprint(flow)
        let flowChange = try checkFlowChange(record, now: fingerprint, acceptFlowChange: acceptFlowChange)
        let secrets = try resolveSecrets(flow)
        var options = self.options
        if !options.overridesRecordedRunsDirectory, let recorded = record.runsDirectory { options.runsDirectory = recorded }
        if !options.overridesRecordedScreenshotsDirectory, let recorded = record.screenshotsDirectory { options.screenshotsDirectory = recorded }
        let folders = (runs: BrowserOptions.absolute(options.runsDirectory), screenshots: BrowserOptions.absolute(options.screenshotsDirectory))
        do {
            if let flowChange {
                try store.appendAudit(AuditEvent(
                    actor: options.actor, entityType: "run", entityID: runID, reason: flowChange,
                    payload: ["flow": record.flowPath, "sha256_before": record.flowSHA256 ?? "", "sha256_now": fingerprint.sha256]))
            }
            record = try store.updateRun(id: runID, actor: options.actor, reason: "resumed by \(options.actor)") {
                $0.state = .running
                $0.finishedAt = nil
                $0.failure = nil
                $0.flowPath = BrowserOptions.absolute($0.flowPath)
                $0.flowSHA256 = fingerprint.sha256
                $0.flowOutline = fingerprint.outline
                $0.runsDirectory = folders.runs
                $0.screenshotsDirectory = folders.screenshots
            }
        } catch {
            throw RunError("cannot record the resume: \(error)")
        }
        let execution = try RunExecution(flow: flow, run: record, secrets: secrets, store: store, options: options, resumed: true)
        return try await execute(execution)
    }

    /// Carries the run out, known to ``InterruptibleRuns`` meanwhile so a signal records it interrupted.
    private func execute(_ execution: RunExecution) async throws(RunError) -> RunOutcome {
        InterruptibleRuns.begin(execution.runID, store: store)
        defer { InterruptibleRuns.end(execution.runID) }
        do {
            return try await execution.execute()
        } catch {
            // After a signal the store refuses the dying run's writes: say what happened, not that.
            if let signal = InterruptibleRuns.signal(thatStopped: execution.runID) {
                throw RunError(
                    "run \(execution.runID) was interrupted (\(InterruptibleRuns.name(of: signal))); continue it with `ferry resume \(execution.runID)`")
            }
            throw error
        }
    }

    /// Compares the flow loaded now with the one the run started with. Returns the audit reason when the
    /// flow changed in a way that was accepted (or only in comments, selectors or defaults), nil when it
    /// is the same; throws, saying what changed, when stages or steps changed and nobody accepted it.
    private func checkFlowChange(_ record: RunRecord, now: FlowFingerprint, acceptFlowChange: Bool) throws(RunError) -> String? {
        guard let recorded = record.flowSHA256, recorded != now.sha256 else { return nil }
        let changes = record.flowOutline.map { $0.changes(to: now.outline) } ?? ["the run did not record its stages and steps"]
        guard !changes.isEmpty else {
            return "the flow file \(record.flowPath) was edited since the run started; its stages and steps are the same"
        }
        let list = changes.map { "  - " + $0 }.joined(separator: "\n")
        guard acceptFlowChange else {
            throw RunError(
                "the flow \(record.flowPath) changed since run \(record.id) started:\n\(list)\n"
                    + "Checkpoints are kept by step index, so resuming with a changed flow could skip or repeat the wrong steps. "
                    + "Put the flow back as it was, or start a new run; if the change is safe for this run, "
                    + "resume with --accept-flow-change (it is recorded in the audit log).")
        }
        return "flow change accepted by \(options.actor) (--accept-flow-change):\n\(list)"
    }

    private func load(_ path: String) throws(RunError) -> Flow {
        do {
            return try FlowLoader.load(path: path)
        } catch {
            throw RunError("the flow \(path) has problems:\n" + error.diagnostics.map(\.description).joined(separator: "\n"))
        }
    }

    private func resolveSecrets(_ flow: Flow) throws(RunError) -> [String: TemplateValue] {
        do {
            return try SecretResolver(environment: options.environment).resolve(flow.secrets)
        } catch {
            throw RunError("\(error)")
        }
    }

    private func renderInputs(_ flow: Flow, secrets: [String: TemplateValue], now: Date) throws(RunError) -> [String: String] {
        if let unknown = options.inputs.keys.sorted().first(where: { flow.input(named: $0) == nil }) {
            let known = flow.inputs.map(\.name).joined(separator: ", ")
            throw RunError("the flow has no input '\(unknown)'; its inputs are: \(known.isEmpty ? "none" : known)")
        }
        var context = TemplateContext(now: now)
        context.secrets = secrets
        var values: [String: String] = [:]
        for input in flow.inputs {
            if let given = options.inputs[input.name] {
                values[input.name] = given
            } else if let template = input.defaultValue {
                do {
                    values[input.name] = try template.render(in: context).text
                } catch {
                    throw RunError("input '\(input.name)': its default \(template) cannot be worked out: \(error)")
                }
            } else {
                throw RunError("input '\(input.name)' has no default; give it with --input \(input.name)=VALUE")
            }
            context.inputs[input.name] = .text(values[input.name] ?? "")
        }
        return values
    }

    /// `clinic-daily-sync-20261123-053000-4f2a`: sortable, readable, unique.
    static func newRunID(flow: String, at date: Date) -> String {
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(flow)-\(FileNameTimestamp.string(date))-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }
}
