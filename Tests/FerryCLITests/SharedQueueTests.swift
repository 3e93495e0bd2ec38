import FixtureSites
import Foundation
import Store
import Testing
import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

/// One `ferry run` and several `ferry worker` processes on one store share a run's items: a worker killed
/// with -9 in the middle of an item loses it to another when its lease runs out, a worker stopped with
/// SIGTERM puts its item back at once, and a worker that takes longer than the lease keeps its item by
/// renewing the claim. Every row reaches the Ledger exactly once, and the audit chain stays intact.
///
/// The trials run on both stores several hosts can share (``SharedStoreKind``): a SQLite file in WAL, and
/// a database on the tests' private PostgreSQL server.
@Suite("Shared queue: ferry run plus ferry worker processes on one store", .serialized)
struct SharedQueueTests {
    static let flows = CrashResumeTests.repository.appendingPathComponent("Tests/EngineTests/Flows")
    static let flow = flows.appendingPathComponent("ledger-entries.yaml").path

    /// `count` valid Ledger rows in a CSV file.
    static func entries(_ count: Int, in directory: URL) throws -> (path: String, keys: [String]) {
        let keys = (1...count).map { "A-20261122-\(String(format: "%04d", 7_000 + $0))" }
        let csv = "appointment_id,patient_id,patient,date,amount\n"
            + keys.enumerated().map { "\($1),P-10001,Patient \($0 + 1),2026-11-22,\($0 + 1).25" }.joined(separator: "\n") + "\n"
        let path = directory.appendingPathComponent("entries.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, keys)
    }

    /// One trial's fixture Ledger, folder, store and rows, and the `ferry` processes started in it.
    final class Trial: @unchecked Sendable {  // one test task uses it at a time
        let fixtures = FixtureServer(FixtureConfiguration())
        let sites: FixtureEndpoints
        let directory: URL
        let store: SharedStore
        let file: String
        let keys: [String]
        let shared: any RunStore
        var processes: [FerryProcess] = []
        var outputs: [Task<String, Never>] = []

        init(items: Int, faults: FixtureFaults, store kind: SharedStoreKind) async throws {
            sites = try await fixtures.start()
            fixtures.setFaults(faults, site: .ledger)
            directory = try FerryProcess.temporaryDirectory()
            store = try kind.make(in: directory)
            (file, keys) = try SharedQueueTests.entries(items, in: directory)
            // The store is created here, before any process opens it: processes creating one fresh store
            // at once race its creation (a migration fails with "table already exists").
            shared = try store.open()
        }

        func start(_ arguments: [String]) throws -> FerryProcess {
            let process = CrashResumeTests.ferry(arguments + store.arguments, in: directory, sites: sites)
            try process.start()
            processes.append(process)
            outputs.append(process.outputUntilEnd())
            return process
        }

        func startRun(lease: String) throws -> FerryProcess {
            try start([
                "run", SharedQueueTests.flow, "--input", "ledger=\(sites.ledger.absoluteString)", "--input", "file=\(file)",
                "--workers", "1", "--item-lease", lease, "--verbose",
            ])
        }

        func startWorker(lease: String) throws -> FerryProcess {
            try start(["worker", "--flows", SharedQueueTests.flows.path, "--workers", "1", "--item-lease", lease])
        }

        /// The store, as the processes left it.
        func openStore() throws -> any RunStore { shared }

        /// Waits until the run has recorded itself.
        func waitForRun(timeout: Duration = .seconds(60)) async throws -> any RunStore {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let runs = try? shared.runs(flow: nil, limit: 1), !runs.isEmpty { return shared }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the run never recorded itself:\n\(await output())")
            throw CancellationError()
        }

        /// The item a process holds now (claimed under `HOST:PID/worker:N`), if any.
        func itemHeld(by process: FerryProcess, in store: any RunStore) -> WorkItem? {
            let prefix = ":\(process.process.processIdentifier)/"
            return ((try? store.items(runID: nil, states: [.processing])) ?? []).first { $0.claimedBy?.contains(prefix) ?? false }
        }

        /// Waits until `process` holds an item, at most `timeout`.
        func waitUntilHolding(_ process: FerryProcess, store: any RunStore, timeout: Duration) async -> WorkItem? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let item = itemHeld(by: process, in: store) { return item }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }

        /// Everything a process that has ended wrote.
        func output(of ended: FerryProcess) async -> String {
            guard let index = processes.firstIndex(where: { $0.process.processIdentifier == ended.process.processIdentifier }) else { return "" }
            return await outputs[index].value
        }

        /// Everything the processes that have ended wrote, for a failure's message (one still running is
        /// not waited for).
        func output() async -> String {
            var text = ""
            for (index, output) in outputs.enumerated() where !processes[index].process.isRunning {
                text += "--- process \(index + 1)\n" + (await output.value)
            }
            return text
        }

        func end() async {
            for process in processes where process.process.isRunning { await process.waitForExit(timeout: .zero) }
            await fixtures.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The process groups of the browsers a process started (chromedriver leads its own group, its
    /// Chromium processes join it), found in /proc: the groups led by the process's descendants.
    static func browserGroups(of pid: Int32) -> Set<Int32> {
        var parents: [Int32: (ppid: Int32, pgid: Int32)] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let id = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let ppid = Int32(fields[1]), let pgid = Int32(fields[2]) else { continue }
            parents[id] = (ppid, pgid)
        }
        var groups: Set<Int32> = []
        for (id, info) in parents where id != pid {
            var ancestor = info.ppid
            var depth = 0
            while ancestor > 1, ancestor != pid, depth < 64, let next = parents[ancestor]?.ppid {
                ancestor = next
                depth += 1
            }
            // A group this process's descendant leads (chromedriver), not one it inherited.
            if ancestor == pid, info.pgid == id { groups.insert(info.pgid) }
        }
        return groups
    }

    /// Waits until a process has started its browser (it claims its first item before), at most `timeout`.
    static func waitForBrowser(of pid: Int32, timeout: Duration) async -> Set<Int32> {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let groups = browserGroups(of: pid)
            if !groups.isEmpty { return groups }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return []
    }

    /// One run, three workers; one worker killed with -9 while it holds an item, at a seeded moment.
    private func killOneWorker(items: Int, seed: UInt64, store kind: SharedStoreKind) async throws {
        var random = CrashResumeTests.SplitMix64(state: seed)
        let trial = try await Trial(items: items, faults: FixtureFaults(saveDelayMs: 300), store: kind)
        defer { Task { await trial.end() } }
        let lease = "3s"
        let run = try trial.startRun(lease: lease)
        let store = try await trial.waitForRun()
        let workers = try (1...3).map { _ in try trial.startWorker(lease: lease) }

        // The victim, and a seeded moment: after a few of its items, in the middle of one.
        let victim = workers[Int(random.next() % 3)]
        let victimPID = victim.process.processIdentifier
        try await Task.sleep(for: .milliseconds(Int64(1_500 + random.next() % UInt64(items >= 100 ? 8_000 : 3_000))))
        guard let held = await trial.waitUntilHolding(victim, store: store, timeout: .seconds(60)) else {
            victim.signal(SIGKILL)
            victim.process.waitUntilExit()
            let said = await trial.output(of: victim)
            Issue.record("the worker never held an item:\n\(said)")
            return
        }
        try await Task.sleep(for: .milliseconds(Int64(random.next() % 250)))
        let groups = await Self.waitForBrowser(of: victimPID, timeout: .seconds(30))
        #expect(!groups.isEmpty, "the worker had no browser of its own")
        // Killed while it holds an item (the one it held a moment ago, or the next).
        let holding = await trial.waitUntilHolding(victim, store: store, timeout: .seconds(30)) ?? held
        victim.signal(SIGKILL)
        victim.process.waitUntilExit()
        let killedAt = Date()
        let abandoned = try #require(try store.item(id: holding.id))
        let victimName = try #require(abandoned.claimedBy?.contains(":\(victimPID)/") == true ? abandoned.claimedBy : holding.claimedBy)

        // No browser of the killed worker is left.
        for group in groups {
            #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(10)), "browser group \(group) of the killed worker outlived it")
        }

        #expect(await run.waitForExit(timeout: .seconds(150)), "the run did not finish in 150 s")
        // The other workers stop cleanly on SIGTERM.
        for worker in workers where worker.process.processIdentifier != victimPID {
            worker.signal(SIGTERM)
            #expect(await worker.waitForExit(timeout: .seconds(15)))
            let said = worker.process.terminationStatus == 0 ? "" : await trial.output(of: worker)
            #expect(worker.process.terminationStatus == 0, "\(said)")
        }
        let output = await trial.output()
        let record = try #require(try store.runs(flow: nil, limit: 1).first)
        #expect(record.state == .succeeded, "\(record.state) \(record.failure ?? "")\n\(output)")

        // Every row entered exactly once.
        let entered = trial.fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.count == Set(entered).count, "a row was entered twice: \(entered.count) entries for \(Set(entered).count) rows")
        #expect(Set(entered) == Set(trial.keys), "rows missing: \(Set(trial.keys).subtracting(entered).sorted())")
        #expect(try store.items(runID: record.id, states: [.done]).count == items)
        // The run moved on only after the last item was finished, wherever it was worked.
        let finishedAt = try #require(record.finishedAt)
        let lastDone = try store.auditLog(entityType: "item", entityID: nil, limit: 100_000).filter { $0.toState == ItemState.done.rawValue }.map(\.at).max()
        #expect(lastDone.map { $0 <= finishedAt } ?? false, "the run finished at \(finishedAt), an item after it at \(String(describing: lastDone))")

        // The killed worker's item was taken over by another worker after the kill, and finished.
        let taken = try #require(try store.item(id: holding.id))
        #expect(taken.state == .done)
        let claims = try store.auditLog(entityType: "item", entityID: String(holding.id), limit: 100).filter { $0.toState == ItemState.processing.rawValue }
        #expect(claims.contains { $0.actor != victimName && $0.at >= killedAt.addingTimeInterval(-1) }, "item \(holding.key) was not taken over: \(claims.map(\.actor))")

        // The run's items were shared: claimed by more than one process.
        let claimants = Set(try store.auditLog(entityType: "item", entityID: nil, limit: 100_000)
            .filter { $0.toState == ItemState.processing.rawValue }
            .compactMap { $0.actor.split(separator: "/").first.map(String.init) })
        #expect(claimants.count >= 2, "only \(claimants) claimed items")

        // The audit chain is intact, as `ferry audit verify` says.
        let verify = FerryProcess(["audit", "verify"] + trial.store.arguments, in: trial.directory)
        let verified = try await verify.runToEnd(timeout: .seconds(60))
        #expect(verified.status == 0, "\(verified.output)")

    }

    /// On PostgreSQL, the store for several hosts, whenever it is tested; the 30-item trials cover SQLite.
    @Test("a 100-item run with three workers, one killed with -9 mid-item: every row once, its item taken over, no browser left",
          arguments: [SharedStoreKind.tested.last ?? .sqlite])
    func hundredItems(_ kind: SharedStoreKind) async throws {
        try await killOneWorker(items: 100, seed: 20_261_207, store: kind)
    }

    @Test("more seeded trials of 30 items: the same", arguments: [UInt64(20_261_208), 20_261_209])
    func moreTrials(seed: UInt64) async throws {
        let kinds = SharedStoreKind.tested
        try await killOneWorker(items: 30, seed: seed, store: kinds[Int(seed % UInt64(kinds.count))])
    }

    @Test("SIGTERM: the worker exits 0 with its browser closed, and its item is back in the queue at once, not after the lease",
          arguments: SharedStoreKind.tested)
    func sigtermReleasesAtOnce(_ kind: SharedStoreKind) async throws {
        let trial = try await Trial(items: 6, faults: FixtureFaults(saveDelayMs: 800), store: kind)
        defer { Task { await trial.end() } }
        // A lease far longer than the test: only the release can free the item in time.
        let run = try trial.startRun(lease: "10m")
        let store = try await trial.waitForRun()
        let worker = try trial.startWorker(lease: "10m")
        let held = try #require(await trial.waitUntilHolding(worker, store: store, timeout: .seconds(60)), "the worker never held an item")
        let groups = await Self.waitForBrowser(of: worker.process.processIdentifier, timeout: .seconds(30))
        #expect(!groups.isEmpty, "the worker had no browser of its own")
        let holding = await trial.waitUntilHolding(worker, store: store, timeout: .seconds(30)) ?? held
        let stoppedAt = ContinuousClock.now
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(10)), "the worker did not stop within 10 s")
        #expect(worker.process.terminationStatus == 0)
        #expect(ContinuousClock.now - stoppedAt < .seconds(10))
        for group in groups {
            let left = ChromeDriverService.livingProcesses(inGroup: group)
            #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(3)), "browser group \(group) outlived the stop: \(left)")
        }
        let after = try #require(try store.item(id: holding.id))
        #expect(after.claimedBy.map { !$0.contains(":\(worker.process.processIdentifier)/") } ?? true, "still claimed by the stopped worker: \(after)")
        let released = try store.auditLog(entityType: "item", entityID: String(holding.id), limit: 100)
        let workerOutput = await trial.output(of: worker)
        #expect(released.contains { $0.fromState == "processing" && $0.toState == "new" && ($0.reason ?? "").contains("SIGTERM") },
                "\(released.map { "\($0.actor) \($0.fromState ?? "-") → \($0.toState ?? "-"): \($0.reason ?? "")" })\n\(workerOutput)")

        // The run takes the item and finishes long before the 10-minute lease.
        #expect(await run.waitForExit(timeout: .seconds(90)), "the run waited for the stopped worker's lease")
        let record = try #require(try store.runs(flow: nil, limit: 1).first)
        let output = record.state == .succeeded ? "" : await trial.output()
        #expect(record.state == .succeeded, "\(record.state) \(record.failure ?? "")\n\(output)")
        let entered = trial.fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.count == Set(entered).count, "a row was entered twice")
        #expect(Set(entered) == Set(trial.keys))
    }

    @Test("a pool of remote ends: one that does not answer leaves the pool, and the worker's items are worked on the other",
          arguments: [SharedStoreKind.tested.last ?? .sqlite])
    func remotePool(_ kind: SharedStoreKind) async throws {
        let driver = try await ChromeDriverService.start()
        defer { driver.stop() }
        let trial = try await Trial(items: 10, faults: FixtureFaults(saveDelayMs: 800), store: kind)
        defer { Task { await trial.end() } }
        // Saves slow enough that the run's own worker is still busy when this worker's browsers are up.
        let run = try trial.startRun(lease: "3s")
        _ = try await trial.waitForRun()
        // Nothing listens on port 9: that remote end refuses every session.
        let worker = try trial.start([
            "worker", "--flows", Self.flows.path, "--workers", "2", "--item-lease", "3s",
            "--webdriver-url", "http://127.0.0.1:9,sessions=2", "--webdriver-url", "\(driver.url),sessions=2",
        ])
        #expect(await run.waitForExit(timeout: .seconds(120)), "the run did not finish in 2 minutes")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(15)))
        let said = await trial.output(of: worker)
        let store = try trial.openStore()
        let record = try #require(try store.runs(flow: nil, limit: 1).first)
        #expect(record.state == .succeeded, "\(record.state) \(record.failure ?? "")")
        let entered = trial.fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.count == Set(entered).count && Set(entered) == Set(trial.keys))
        // The worker did its share, through the remote end that answers.
        let finishedByWorker = try store.auditLog(entityType: "item", entityID: nil, limit: 10_000)
            .filter { $0.toState == ItemState.done.rawValue && $0.actor.contains(":\(worker.process.processIdentifier)/") }
        #expect(!finishedByWorker.isEmpty, "the worker finished no item:\n\(said)")
        #expect(said.contains("http://127.0.0.1:9 taken out of the pool"), "\(said)")
    }

    @Test("SIGTERM of a worker whose browsers are on a remote end ends them there, not only its own processes")
    func sigtermEndsRemoteSessions() async throws {
        // Another host's chromedriver, as far as the worker knows: stopping the worker's process group does not reach it.
        let driver = try await ChromeDriverService.start()
        defer { driver.stop() }
        let idle = ChromeDriverService.livingProcesses(inGroup: driver.processGroup).count
        let trial = try await Trial(items: 6, faults: FixtureFaults(saveDelayMs: 800), store: .sqlite)
        defer { Task { await trial.end() } }
        let run = try trial.startRun(lease: "10m")
        let store = try await trial.waitForRun()
        let worker = try trial.start(["worker", "--flows", Self.flows.path, "--workers", "1", "--item-lease", "10m", "--webdriver-url", driver.url])
        // Once the worker has finished an item its session is open (a session still being opened has no id to end yet).
        let finished = ContinuousClock.now + .seconds(60)
        let byWorker = ":\(worker.process.processIdentifier)/"
        while ContinuousClock.now < finished,
            !((try? store.auditLog(entityType: "item", entityID: nil, limit: 1_000)) ?? []).contains(where: { $0.toState == "done" && $0.actor.contains(byWorker) }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try #require(await trial.waitUntilHolding(worker, store: store, timeout: .seconds(30)), "the worker never held an item")
        try #require(ChromeDriverService.livingProcesses(inGroup: driver.processGroup).count > idle, "no browser of the worker's on the remote end")

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(10)), "the worker did not stop within 10 s")
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, ChromeDriverService.livingProcesses(inGroup: driver.processGroup).count > idle {
            try await Task.sleep(for: .milliseconds(100))
        }
        let left = ChromeDriverService.livingProcesses(inGroup: driver.processGroup)
        let said = left.count == idle ? "" : await trial.output(of: worker)
        #expect(left.count == idle, "the worker's browser outlived it on the remote end: \(left.map(\.command))\n\(said)")
        #expect(await run.waitForExit(timeout: .seconds(90)))
    }

    @Test("a run with --workers 0 leaves its items to ferry worker processes; one a worker fails under on_error: fail fails the run, as one of its own would")
    func failingItemInAWorker() async throws {
        let trial = try await Trial(items: 5, faults: FixtureFaults(saveDelayMs: 300), store: .sqlite)
        defer { Task { await trial.end() } }
        // The last row is one the Ledger refuses (its amount is not a number).
        let rows = try String(contentsOfFile: trial.file, encoding: .utf8).split(separator: "\n").map(String.init)
        let refused = rows[rows.count - 1].split(separator: ",")[0]
        try (rows.dropLast() + [rows[rows.count - 1].replacingOccurrences(of: #",[0-9.]+$"#, with: ",abc", options: .regularExpression)])
            .joined(separator: "\n").appending("\n").write(toFile: trial.file, atomically: true, encoding: .utf8)
        let flow = Self.flows.appendingPathComponent("ledger-entries-strict.yaml").path
        // The run has no workers of its own: the worker works every item, the refused row with them.
        let run = try trial.start([
            "run", flow, "--input", "ledger=\(trial.sites.ledger.absoluteString)", "--input", "file=\(trial.file)",
            "--workers", "0", "--item-lease", "10m", "--verbose",
        ])
        let store = try await trial.waitForRun()
        let worker = try trial.startWorker(lease: "10m")
        #expect(await run.waitForExit(timeout: .seconds(90)), "the run did not finish")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(15)))

        let record = try #require(try store.runs(flow: nil, limit: 1).first)
        let output = record.state == .failed ? "" : await trial.output()
        let failed = try #require(try store.items(runID: record.id, states: [.error, .needsReview]).first { $0.key == refused })
        let failure = try store.auditLog(entityType: "item", entityID: String(failed.id), limit: 100).last { $0.toState == failed.state.rawValue }
        #expect(failure?.actor.contains(":\(worker.process.processIdentifier)/") == true, "the refused row was not the worker's: \(failure?.actor ?? "-")")
        #expect(record.state == .failed, "\(record.state) \(record.failure ?? "")\n\(output)")
        #expect(record.failure?.contains("The ledger refused the entry for \(refused)") == true, "\(record.failure ?? "")")
        #expect(run.process.terminationStatus != 0)
        #expect(Set(trial.fixtures.ledgerEntries.map(\.appointmentID)) == Set(trial.keys.filter { $0 != refused }))
        // The person who started it is told why it waits, and what to start.
        let said = await trial.output(of: run)
        #expect(said.contains("enter: waiting for 5 item(s): this run has no workers of its own (--workers 0); start `ferry worker`"), "\(said)")
    }

    @Test("a worker slower than the lease keeps its item: its heartbeat renews the claim, nobody takes it over",
          arguments: SharedStoreKind.tested)
    func heartbeatKeepsTheClaim(_ kind: SharedStoreKind) async throws {
        // Each save takes longer than the whole lease; the claim is renewed every second.
        let trial = try await Trial(items: 3, faults: FixtureFaults(saveDelayMs: 3_500), store: kind)
        defer { Task { await trial.end() } }
        let run = try trial.startRun(lease: "2s")
        _ = try await trial.waitForRun()
        let worker = try trial.startWorker(lease: "2s")
        #expect(await run.waitForExit(timeout: .seconds(120)), "the run did not finish in 2 minutes")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(15)))
        let store = try trial.openStore()
        let record = try #require(try store.runs(flow: nil, limit: 1).first)
        let output = record.state == .succeeded ? "" : await trial.output()
        #expect(record.state == .succeeded, "\(record.state) \(record.failure ?? "")\n\(output)")
        for item in try store.items(runID: record.id, states: []) {
            let claims = try store.auditLog(entityType: "item", entityID: String(item.id), limit: 100).filter { $0.toState == ItemState.processing.rawValue }
            #expect(claims.count == 1, "item \(item.key) was claimed \(claims.count) times: \(claims.map(\.actor))")
        }
        let entered = trial.fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.count == Set(entered).count && Set(entered) == Set(trial.keys))
    }
}
