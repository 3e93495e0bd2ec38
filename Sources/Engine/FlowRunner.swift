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
        let record = RunRecord(
            id: runID, flow: flow.name, flowPath: flowPath, inputs: inputs, trigger: options.trigger,
            triggeredBy: options.actor, startedAt: now)
        do {
            _ = try store.createRun(record, actor: options.actor)
        } catch {
            throw RunError("cannot record the run: \(error)")
        }
        let execution = try RunExecution(flow: flow, run: record, secrets: secrets, store: store, options: options, resumed: false)
        return try await execution.execute()
    }

    /// Continues a run that was interrupted or failed, at its first unfinished stage.
    ///
    /// Browsers a killed run left behind are ended first. Stages marked `session: true` run again
    /// before the first unfinished stage; downloads already made are reused while their sha256 matches;
    /// side effects already done are not repeated.
    public func resume(runID: String) async throws(RunError) -> RunOutcome {
        let found: RunRecord?
        do {
            found = try store.run(id: runID)
        } catch {
            throw RunError("cannot read run \(runID): \(error)")
        }
        guard var record = found else {
            throw RunError("there is no run \(runID); `ferry runs` lists the runs")
        }
        if record.state == .succeeded {
            throw RunError("run \(runID) already succeeded; there is nothing to resume")
        }
        // Only a run whose process died while running can have left browsers: a run that ended stopped
        // its own, and its recorded group id may by now be another program's.
        if record.state == .running, let group = record.processGroup {
            ChromeDriverService.reap(processGroup: group)
        }
        let flow = try load(record.flowPath)
        let secrets = try resolveSecrets(flow)
        do {
            record = try store.updateRun(id: runID, actor: options.actor, reason: "resumed by \(options.actor)") {
                $0.state = .running
                $0.finishedAt = nil
                $0.failure = nil
            }
        } catch {
            throw RunError("cannot record the resume: \(error)")
        }
        let execution = try RunExecution(flow: flow, run: record, secrets: secrets, store: store, options: options, resumed: true)
        return try await execution.execute()
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
