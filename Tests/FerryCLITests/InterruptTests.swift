import FixtureSites
import Foundation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// "Stopped is not running" (issue 14): SIGTERM or Ctrl-C used to end the browsers but leave the run
/// "in progress" with items `processing` in `ferry status` and the dashboard.
@Suite("A stopped run is interrupted, not running", .serialized)
struct InterruptTests {
    @Test("SIGTERM in the per-item stage: the run is interrupted, no item processing, no browser left, and ferry resume finishes it")
    func sigtermMidItems() async throws {
        let fixtures = FixtureServer(FixtureConfiguration())
        let sites = try await fixtures.start()
        defer { Task { await fixtures.stop() } }
        let directory = try FerryProcess.temporaryDirectory()
        let db = directory.appendingPathComponent("ferry.db").path
        let run = CrashResumeTests.ferry(
            ["run", CrashResumeTests.flow, "--db", db, "--input", "clinic=\(sites.clinic.absoluteString)",
             "--input", "ledger=\(sites.ledger.absoluteString)", "--input", "date=2026-11-22", "--verbose"],
            in: directory, sites: sites)
        try run.start()
        // The run is recorded (and the store migrated) before it says it is running.
        let started = run.waitForLine(containing: "as run ", timeout: .seconds(120))
        try #require(started != nil, "ferry run never said it started")
        let drained = run.outputUntilEnd()

        // Wait until a worker has claimed an item (the per-item stage is under way).
        let store = try SQLiteRunStore(path: db)
        var claimed: [WorkItem] = []
        let deadline = ContinuousClock.now + .seconds(240)
        while claimed.isEmpty, ContinuousClock.now < deadline, run.process.isRunning {
            claimed = (try? store.items(runID: nil, states: [.processing])) ?? []
            if claimed.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(!claimed.isEmpty, "no item was ever claimed")
        let group = try #require(try store.runs(flow: nil, limit: 1).first?.processGroup)

        run.signal(SIGTERM)
        #expect(await run.waitForExit(timeout: .seconds(60)), "ferry run did not end on SIGTERM")
        let output = await drained.value
        #expect(run.process.terminationStatus != 0, "\(output)")

        let stopped = try #require(try store.runs(flow: nil, limit: 1).first)
        #expect(stopped.state == .interrupted, "\(stopped.state) \(stopped.failure ?? "")\n\(output)")
        #expect(stopped.failure?.contains("stopped by SIGTERM") == true)
        #expect(try store.items(runID: stopped.id, states: [.processing]).isEmpty)
        #expect(try store.items(runID: stopped.id, states: [.error]).isEmpty, "the stop failed an item")
        #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(10)), "browser group \(group) outlived the stop")
        let released = try store.auditLog(entityType: "item", entityID: nil, limit: 1000).filter { $0.reason?.contains("released: stopped by SIGTERM") == true }
        #expect(released.count >= claimed.count)
        #expect(output.contains("interrupted"), "\(output)")

        let status = try await OperatorCommandTests.ferry(["status", "--db", db], in: directory)
        #expect(status.output.contains("in progress: none"), "\(status.output)")
        #expect(status.output.contains("interrupted"), "\(status.output)")
        #expect(status.output.contains("0 processing"), "\(status.output)")

        let resume = CrashResumeTests.ferry(["resume", stopped.id, "--db", db, "--verbose"], in: directory, sites: sites)
        let resumed = try await resume.runToEnd(timeout: .seconds(300))
        #expect(resumed.ended)
        let finished = try #require(try store.run(id: stopped.id))
        #expect(finished.state == .succeeded || finished.state == .needsReview, "\(finished.state)\n\(resumed.output)")
        let done = try store.items(runID: stopped.id, states: [.done]).map(\.key)
        let entered = fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.count == Set(entered).count, "a record was entered twice")
        #expect(Set(entered) == Set(done), "the Ledger and the done items differ")
        #expect(try store.verifyAuditLog().isIntact)
        try? FileManager.default.removeItem(at: directory)
    }
}
