import ArgumentParser
import Foundation
import Store

/// Measures the per-step bookkeeping (checkpoint + audit row, in one durable transaction) against the
/// cheapest durable write SQLite can do on the same file.
struct StoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Per-step bookkeeping cost (checkpoint + audit row, synchronous=FULL) vs a bare durable INSERT."
    )

    @Option(help: "Steps to record on each side.")
    var steps = 2000

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteRunStore(path: folder + "/ferry.db")
        let run = try store.createRun(
            RunRecord(id: "bench", flow: "bench", flowPath: "-", inputs: [:], trigger: .cli, triggeredBy: "bench"), actor: "bench")
        try store.database.pool.write { db in try db.execute(sql: "CREATE TABLE baseline (n INTEGER, at TEXT)") }

        var baseline: [Duration] = []
        var bookkeeping: [Duration] = []
        let clock = ContinuousClock()
        for index in 0..<steps {  // alternate, so both sides see the same disk and cache state
            baseline.append(try clock.measure {
                try store.database.pool.write { db in
                    try db.execute(sql: "INSERT INTO baseline (n, at) VALUES (?, ?)", arguments: [index, Date().description])
                }
            })
            bookkeeping.append(try clock.measure {  // one step: its `started` and its `completed` checkpoint
                for state in [CheckpointState.started, .completed] {
                    try store.checkpoint(
                        Checkpoint(runID: run.id, stage: "stage", step: index % 50, itemKey: "item-\(index / 50)", state: state),
                        actor: "worker:1")
                }
            })
        }
        let base = baseline.median
        let ours = bookkeeping.median
        print("Store benchmark: \(steps) durable writes per side, alternating, WAL + synchronous=FULL")
        print("bare INSERT (one row, one transaction)       median \(base.formattedMilliseconds)")
        print("one step's bookkeeping (2 checkpoints, each with its audit row) median \(ours.formattedMilliseconds)   target ≤ 1 ms")
        print(String(format: "bookkeeping vs bare insert: %.2fx", ours / base))
    }
}
