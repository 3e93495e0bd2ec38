import ArgumentParser
import Foundation
import Store

/// What is happening now: item counts, runs in progress and where they are, the last run of each flow.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Item counts by state, runs in progress with their current stage and step, and each flow's last run.")

    @OptionGroup var store: StoreOptionGroup

    func run() throws {
        let store = try store.openExisting()
        let items = try store.items(runID: nil, states: [])
        let counts = Dictionary(grouping: items, by: \.state).mapValues(\.count)
        let startOfDay = Calendar.current.startOfDay(for: Date())
        let doneToday = items.filter { $0.state == .done && $0.updatedAt >= startOfDay }.count
        print("items: \(counts[.new] ?? 0) new, \(counts[.processing] ?? 0) processing, \(doneToday) done today, "
            + "\(counts[.error] ?? 0) error, \(counts[.needsReview] ?? 0) needs review")

        let runs = try store.runs(flow: nil, limit: 500)
        let running = runs.filter { $0.state == .running }
        print("\nin progress: \(running.isEmpty ? "none" : "")")
        for run in running {
            // The current step is the latest `started` checkpoint of the run (items aside).
            let current = try store.checkpoints(runID: run.id).last { $0.itemKey == nil && $0.state == .started && $0.step != nil }
            let step = current.map { "step \(($0.step ?? 0) + 1)" + ($0.detail.map { " (\($0))" } ?? "") } ?? "starting"
            print("  \(run.id): stage \(run.currentStage ?? "-"), \(step), since \(run.startedAt.formatted(.iso8601))")
        }

        let interrupted = runs.filter { $0.state == .interrupted }
        if !interrupted.isEmpty {
            print("\ninterrupted (stopped by a signal; continue with `ferry resume RUN`):")
            for run in interrupted {
                print("  \(run.id): stage \(run.currentStage ?? "-"), stopped \(run.finishedAt.map { $0.formatted(.iso8601) } ?? "-")")
            }
        }

        print("\nlast run of each flow:")
        var seen = Set<String>()
        for run in runs where seen.insert(run.flow).inserted {
            print("  " + run.flow.padding(24) + run.state.rawValue.padding(14) + run.startedAt.formatted(.iso8601).padding(22) + run.id)
        }
    }
}
