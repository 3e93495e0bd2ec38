import ArgumentParser
import Foundation
import Store

/// Lists recent runs, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recent runs, newest first.")

    @OptionGroup var store: StoreOptionGroup

    @Option(help: "Only runs of this flow.")
    var flow: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    func run() throws {
        let runs = try store.openExisting().runs(flow: flow, limit: limit)
        if runs.isEmpty {
            print("no runs yet")
            return
        }
        print("run".padding(28) + "flow".padding(22) + "state".padding(14) + "started".padding(22) + "by")
        for run in runs {
            print(run.id.padding(28) + run.flow.padding(22) + run.state.rawValue.padding(14)
                + run.startedAt.formatted(.iso8601).padding(22) + run.triggeredBy)
        }
    }
}

/// Everything about one run: stages, steps, items, artifacts and its audit log.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a run: its stages and steps, items, artifacts and audit log.")

    @OptionGroup var store: StoreOptionGroup

    @Argument(help: ArgumentHelp("The run id (see `ferry runs`).", valueName: "run"))
    var runID: String

    func run() throws {
        let store = try store.openExisting()
        let run = runID
        guard let record = try store.run(id: run) else {
            throw ValidationError("there is no run \(run); `ferry runs` lists the runs")
        }
        print("run \(record.id): \(record.flow) — \(record.state.rawValue)")
        print("  started \(record.startedAt.formatted(.iso8601)) by \(record.triggeredBy) (\(record.trigger.rawValue))"
            + (record.finishedAt.map { ", finished \($0.formatted(.iso8601))" } ?? ""))
        if !record.inputs.isEmpty {
            print("  inputs: " + record.inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        if let failure = record.failure { print("  failure: \(failure)") }

        print("\nstages and steps:")
        for checkpoint in try store.checkpoints(runID: run) where checkpoint.itemKey == nil {
            let name = checkpoint.step.map { "\(checkpoint.stage) step \($0 + 1)" } ?? "\(checkpoint.stage)"
            print("  \(name.padding(32))\(checkpoint.state.rawValue.padding(11))"
                + (checkpoint.attempt > 1 ? "attempt \(checkpoint.attempt) " : "") + (checkpoint.detail ?? ""))
        }

        let items = try store.items(runID: run, states: [])
        print("\nitems: \(items.count)" + summary(items))
        for item in items where item.state != .done {
            print("  #\(item.id) \(item.key) \(item.state.rawValue)" + (item.lastError.map { ": \($0)" } ?? ""))
        }

        let effects = try store.sideEffects(runID: run, itemKey: nil)
        if !effects.isEmpty {
            let counts = Dictionary(grouping: effects, by: \.state).mapValues(\.count)
            print("\nchanges to target systems: \(effects.count) ("
                + SideEffect.State.allCases.compactMap { state in counts[state].map { "\($0) \(state == .done ? "confirmed" : state.rawValue)" } }.joined(separator: ", ") + ")")
            for effect in effects where effect.state != .done {
                print("  \(effect.key) \(effect.state.rawValue)" + (effect.itemKey.map { " (item \($0))" } ?? "") + (effect.detail.map { ": \($0)" } ?? ""))
            }
        }

        let artifacts = try store.artifacts(runID: run)
        if !artifacts.isEmpty {
            print("\nartifacts:")
            for artifact in artifacts {
                print("  \(artifact.kind.rawValue.padding(12))\(artifact.path) (\(artifact.size) bytes, sha256 \(artifact.sha256.prefix(12))…)")
            }
        }

        print("\naudit log:")
        for entry in try store.auditLog(entityType: nil, entityID: nil, limit: 100_000) where Self.isAbout(entry, run: run, items: items) {
            print("  " + AuditLine.format(entry))
        }
    }

    private func summary(_ items: [WorkItem]) -> String {
        let counts = Dictionary(grouping: items, by: \.state).mapValues(\.count)
        let parts = ItemState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func isAbout(_ entry: AuditEntry, run: String, items: [WorkItem]) -> Bool {
        if entry.entityID == run || entry.entityID.hasPrefix(run + "/") { return true }
        if entry.entityType == "item", let id = Int64(entry.entityID) { return items.contains { $0.id == id } }
        if let payload = entry.payload, payload.contains("\"run\":\"\(run)\"") { return true }
        return false
    }
}

/// Lists work items, by state.
struct ItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "items", abstract: "List work items, e.g. the exception queue: --state error --state needs_review.")

    @OptionGroup var store: StoreOptionGroup

    @Option(help: "Only items in this state (new, processing, done, error, needs_review); repeatable.")
    var state: [String] = []

    @Option(name: .customLong("run"), help: "Only items of this run.")
    var runID: String?

    func run() throws {
        let states = try state.map { name -> ItemState in
            guard let state = ItemState(rawValue: name) else {
                throw ValidationError("unknown state '\(name)'; use one of: " + ItemState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return state
        }
        let items = try store.openExisting().items(runID: runID, states: states)
        if items.isEmpty {
            print("no items")
            return
        }
        for item in items {
            print("#\(item.id)".padding(8) + item.key.padding(22) + item.state.rawValue.padding(14) + item.runID.padding(28) + (item.lastError ?? ""))
        }
    }
}
