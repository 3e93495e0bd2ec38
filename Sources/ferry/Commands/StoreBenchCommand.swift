import ArgumentParser
import Foundation
import PostgresStore
import Store
import Synchronization

/// Measures the per-step bookkeeping (checkpoint + audit row, in one durable transaction) against the
/// cheapest durable write SQLite can do on the same file.
struct StoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Per-step bookkeeping cost (checkpoint + audit row, synchronous=FULL) vs a bare durable INSERT; with --store, PostgreSQL beside SQLite."
    )

    @Option(help: "Steps to record on each side.")
    var steps = 2000

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "A scratch PostgreSQL database to measure beside SQLite (claims/s at 1/2/4/8 claimers, bookkeeping per step); the benchmark adds runs to it.",
            valueName: "postgres-url"))
    var postgres: String?

    @Option(help: "Items each claims round works through (with --store).")
    var items = 2000

    func run() throws {
        if let postgres { return try compare(postgres) }
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
            bookkeeping.append(try clock.measure { try Self.recordStep(index, of: run.id, in: store) })
        }
        let base = baseline.median
        let ours = bookkeeping.median
        print("Store benchmark: \(steps) durable writes per side, alternating, WAL + synchronous=FULL")
        print("bare INSERT (one row, one transaction)       median \(base.formattedMilliseconds)")
        print("one step's bookkeeping (one commit: the last step's `completed` and this one's `started`, each with its audit row) median \(ours.formattedMilliseconds)   target ≤ 1 ms")
        print(String(format: "bookkeeping vs bare insert: %.2fx", ours / base))
    }

    /// One step's bookkeeping as the engine writes it (`RunExecution.checkpoint(…after:)`): the previous
    /// step's `completed` checkpoint, held back, goes in one commit with this step's `started`.
    static func recordStep(_ index: Int, of runID: String, in store: any RunStore) throws {
        let item = "item-\(index / 50)"
        var checkpoints: [Checkpoint] = []
        if index % 50 > 0 {
            checkpoints.append(Checkpoint(runID: runID, stage: "stage", step: index % 50 - 1, itemKey: item, state: .completed))
        }
        checkpoints.append(Checkpoint(runID: runID, stage: "stage", step: index % 50, itemKey: item, state: .started))
        try store.checkpoint(checkpoints, actor: "worker:1")
    }
}

extension StoreBenchCommand {
    /// Claims per second and bookkeeping per step, PostgreSQL beside SQLite, with ratios.
    func compare(_ text: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let url = try PostgresStoreURL(text)
        let stores: [(name: String, store: any RunStore)] = [
            ("SQLite", try SQLiteRunStore(path: folder + "/ferry.db")),
            // The seal outlives the run: the scratch database keeps its sealed rows for the next benchmark.
            ("PostgreSQL", try PostgresRunStore(url: url, sealBasePath: NSTemporaryDirectory() + "ferry-bench-\(url.database)", connections: 8)),
        ]
        print("Store benchmark: SQLite (WAL, synchronous=FULL, \(folder)) beside PostgreSQL (\(url), synchronous_commit as the server sets it)")
        print("claims: \(items) items per round, every claim one durable transaction with its audit row")
        var claimRates: [String: [Int: Double]] = [:]
        for (name, store) in stores {
            for claimers in [1, 2, 4, 8] {
                let (rate, doubles) = try claimRound(store, claimers: claimers)
                claimRates[name, default: [:]][claimers] = rate
                print("  \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(claimers) claimer\(claimers == 1 ? " " : "s"): \(Int(rate)) claims/s, \(doubles) double claims")
            }
        }
        for claimers in [1, 2, 4, 8] {
            let ratio = (claimRates["PostgreSQL"]?[claimers] ?? 0) / max(claimRates["SQLite"]?[claimers] ?? 1, 1)
            print(String(format: "  PostgreSQL vs SQLite at %d claimer%@: %.2fx", claimers, claimers == 1 ? "" : "s", ratio))
        }
        var medians: [String: Duration] = [:]
        var separate: [String: Duration] = [:]
        for (name, store) in stores {
            let run = try store.createRun(
                RunRecord(id: "bench-steps-\(UUID().uuidString)", flow: "bench", flowPath: "-", inputs: [:], trigger: .cli, triggeredBy: "bench"),
                actor: "bench")
            var bookkeeping: [Duration] = []
            var twoCommits: [Duration] = []
            let clock = ContinuousClock()
            for index in 0..<steps {  // alternate, so both ways see the same database state
                bookkeeping.append(try clock.measure { try Self.recordStep(index, of: run.id, in: store) })
                twoCommits.append(try clock.measure {
                    for state in [CheckpointState.started, .completed] {
                        try store.checkpoint(
                            Checkpoint(runID: run.id, stage: "other", step: index % 50, itemKey: "item-\(index / 50)", state: state), actor: "worker:1")
                    }
                })
            }
            medians[name] = bookkeeping.median
            separate[name] = twoCommits.median
            let padded = name.padding(toLength: 10, withPad: " ", startingAt: 0)
            print("  \(padded) one step's bookkeeping as the engine writes it (one commit: the last step's `completed` and this one's `started`, each with its audit row): median \(bookkeeping.median.formattedMilliseconds)")
            print("  \(padded) the same 2 checkpoints as 2 commits: median \(twoCommits.median.formattedMilliseconds)")
        }
        if let sqlite = medians["SQLite"], let postgres = medians["PostgreSQL"] {
            print(String(format: "  PostgreSQL vs SQLite bookkeeping: %.2fx the time (as 2 commits: %.2fx)", postgres / sqlite,
                         (separate["PostgreSQL"] ?? .zero) / max(separate["SQLite"] ?? .zero, .nanoseconds(1))))
        }
        let verification = try stores[1].store.verifyAuditLog()
        print("PostgreSQL audit chain after the benchmark: \(verification.isIntact ? "verified" : "BROKEN: \(verification.problem ?? "")") (\(verification.rowsChecked) rows)")
    }

    /// One round: `items` items, `claimers` threads claiming until the queue is empty. Returns claims per
    /// second and how many items were claimed more than once.
    private func claimRound(_ store: any RunStore, claimers: Int) throws -> (Double, Int) {
        let run = try store.createRun(
            RunRecord(id: "bench-claims-\(UUID().uuidString)", flow: "bench", flowPath: "-", inputs: [:], trigger: .cli, triggeredBy: "bench"),
            actor: "bench")
        _ = try store.addItems((1...items).map { NewWorkItem(key: "B-\($0)", payload: [:]) }, runID: run.id, actor: "bench")
        let claimed = Mutex<[Int64]>([])
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        let start = ContinuousClock.now
        for worker in 0..<claimers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var mine: [Int64] = []
                do {
                    while let item = try store.claimItem(runID: run.id, worker: "bench:\(worker)", leaseExpiredBefore: .distantPast) {
                        mine.append(item.id)
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                claimed.withLock { $0 += mine }
            }
        }
        group.wait()
        let elapsed = ContinuousClock.now - start
        if let error = failure.withLock({ $0 }) { throw error }
        let ids = claimed.withLock { $0 }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (Double(ids.count) / seconds, ids.count - Set(ids).count)
    }
}
