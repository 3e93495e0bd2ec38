import Flows
import Foundation
import Store

/// `ferry worker`: works the per-item stages of runs in progress, whichever process on whichever host
/// started them, from a store they share. Stateless: it finds `running` runs whose current stage is
/// per-item and that have items to claim, loads each run's flow by name from its flows folder, and has
/// `workers` workers claim, work and finish items there, each with its own browser, logged in by the
/// stage's session stage. Idle, it waits for work (``RunStore/waitForWork(timeout:)``).
///
///     let worker = QueueWorker(store: store, options: options, flowsDirectory: "flows", workers: 2, stop: stop)
///     await worker.run()   // until stop.request()
public struct QueueWorker: Sendable {
    public let store: any RunStore
    public let options: RunOptions
    public let flowsDirectory: String
    public let workers: Int
    public let stop: WorkerStop
    /// What the worker is doing, for its log: a run taken up, a run it cannot work and why.
    public var onNote: @Sendable (String) -> Void = { _ in }

    public init(store: any RunStore, options: RunOptions, flowsDirectory: String, workers: Int, stop: WorkerStop) {
        self.store = store
        self.options = options
        self.flowsDirectory = flowsDirectory
        self.workers = max(1, workers)
        self.stop = stop
    }

    /// The names this process's workers claim items under (what a stop releases).
    public var workerNames: [String] {
        (1...workers).map { WorkerName.worker($0, of: options.workerName) }
    }

    /// Works until ``stop`` is requested; then ends its browsers and returns.
    public func run() async {
        let shelf = FlowShelf(directory: flowsDirectory)
        var executions: [String: (stage: String, execution: RunExecution)] = [:]
        var told: Set<String> = []
        while !stop.isRequested {
            var worked = false
            let running = ((try? store.runs(flow: nil, limit: 200)) ?? []).filter { $0.state == .running }
            for run in running where !stop.isRequested {
                guard let stageName = run.currentStage, hasItemsToClaim(run) else { continue }
                if let cached = executions[run.id], cached.stage != stageName {
                    await cached.execution.browsers.stop()
                    executions[run.id] = nil
                }
                let execution: RunExecution
                if let cached = executions[run.id] {
                    execution = cached.execution
                } else {
                    do {
                        execution = try makeExecution(for: run, shelf: shelf)
                    } catch {
                        if told.insert(run.id + "\u{1F}" + error.message).inserted { onNote("run \(run.id) is not worked here: \(error.message)") }
                        continue
                    }
                    executions[run.id] = (stageName, execution)
                }
                guard let stage = execution.flow.stages.first(where: { $0.name == stageName && $0.perItem != nil }) else { continue }
                worked = true
                onNote("working the items of run \(run.id), stage \(stage.name)")
                execution.releaseClaimsOfGoneWorkers(stage)
                do {
                    try await execution.workItems(of: stage, workers: workers, stop: stop)
                } catch where !stop.isRequested {
                    onNote("run \(run.id), stage \(stage.name): \(execution.redact(error.headline))")
                    try? await Task.sleep(for: .seconds(2))
                } catch {
                    // Stopping: the browsers were closed under the workers.
                }
            }
            // Runs that ended or moved on: their browsers go.
            for (id, cached) in executions where !running.contains(where: { $0.id == id && $0.currentStage == cached.stage }) {
                await cached.execution.browsers.stop()
                executions[id] = nil
            }
            if !worked { await store.waitForWork(timeout: .seconds(5)) }
        }
        for cached in executions.values { await cached.execution.browsers.stop() }
    }

    /// Whether a run has an item a worker could claim now: a new one, one whose lease ran out, or one
    /// claimed by a process of this host that has ended.
    private func hasItemsToClaim(_ run: RunRecord) -> Bool {
        let expired = Date().addingTimeInterval(-options.itemLease.seconds)
        let items = (try? store.items(runID: run.id, states: [.new, .processing])) ?? []
        return items.contains { item in
            item.state == .new || (item.claimedAt ?? .distantPast) < expired
                || item.claimedBy.map { WorkerName.hasGone($0, thisProcess: options.workerName) } ?? false
        }
    }

    private func makeExecution(for run: RunRecord, shelf: FlowShelf) throws(RunError) -> RunExecution {
        guard let flow = shelf.flow(named: run.flow, sha256: run.flowSHA256) else {
            throw RunError(shelf.absence(of: run.flow) + "; put the run's flow file there (the same version) to work its items on this host")
        }
        let secrets: [String: TemplateValue]
        do {
            secrets = try SecretResolver(environment: options.environment).resolve(flow.secrets)
        } catch {
            throw RunError("\(error)")
        }
        return try RunExecution(flow: flow, run: run, secrets: secrets, store: store, options: options, resumed: false, recordsBrowserGroup: false)
    }
}
