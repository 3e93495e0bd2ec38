import Foundation
@testable import PostgresStore
import PostgresTestServer
import Store
import Synchronization
import Testing

/// What the PostgreSQL store adds to the shared behaviour tests: many connections (hosts) at once.
@Suite("The PostgreSQL store across connections", .enabled(if: PrivatePostgres.isTested))
struct PostgresStoreTests {
    @Test("8 connections claiming 5,000 items concurrently (four hosts, two workers each): each exactly once, 5,000 claim audit rows, the chain verifies")
    func concurrentClaims() throws {
        let fixture = try StoreFixture(.postgres)
        try fixture.addItems(5_000)
        let hosts = try (0..<4).map { _ in try fixture.reopen(connections: 2) }
        let store = hosts[0]

        // Threads, not tasks: each claimer blocks on its connection, as a worker would.
        let claimed = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for worker in 0..<8 {
            group.enter()
            let host = hosts[worker % hosts.count]
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    var mine: [Int64] = []
                    while let item = try host.claimItem(runID: "run-1", worker: "worker:\(worker)", leaseExpiredBefore: .distantPast) {
                        mine.append(item.id)
                    }
                    claimed.withLock { $0 += mine }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        group.wait()

        #expect(failures.withLock { $0 }.isEmpty)
        let ids = claimed.withLock { $0 }
        #expect(ids.count == 5_000)
        #expect(Set(ids).count == 5_000)
        let claims = try store.auditLog(entityType: "item", entityID: nil, limit: 20_000).filter { $0.toState == "processing" }
        #expect(claims.count == 5_000)
        let verification = try store.verifyAuditLog()
        #expect(verification.isIntact, "\(verification.problem ?? "")")
        #expect(verification.rowsChecked == 1 + 5_000 + 5_000)
    }

    @Test("claims made at the same moment by one process's workers share a transaction, each still with its own item, worker and audit row")
    func combinedClaims() throws {
        let fixture = try StoreFixture(.postgres)
        try fixture.addItems(800)
        let store = try fixture.reopen(connections: 8)

        let claimed = Mutex<[WorkItem]>([])
        let group = DispatchGroup()
        for worker in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var mine: [WorkItem] = []
                while let item = try? store.claimItem(runID: "run-1", worker: "worker:\(worker)", leaseExpiredBefore: .distantPast) {
                    #expect(item.claimedBy == "worker:\(worker)")
                    mine.append(item)
                }
                claimed.withLock { $0 += mine }
            }
        }
        group.wait()

        let items = claimed.withLock { $0 }
        #expect(items.count == 800)
        #expect(Set(items.map(\.id)).count == 800)
        // One transaction stamps its claims with one time: far fewer times than claims means they were combined.
        let transactions = Set(items.compactMap(\.claimedAt)).count
        #expect(transactions < 800 / 2, "\(transactions) claim times for 800 claims")
        let rows = try store.auditLog(entityType: "item", entityID: nil, limit: 5_000).filter { $0.toState == "processing" }
        let claimers = Dictionary(uniqueKeysWithValues: items.map { (String($0.id), $0.claimedBy) })
        #expect(rows.count == 800)
        #expect(rows.allSatisfy { claimers[$0.entityID] == $0.actor })
        #expect(try store.verifyAuditLog().isIntact)
    }

    @Test("an idle worker on another host is woken by NOTIFY when items are added, long before its timeout")
    func notifyWakesIdleWorkers() async throws {
        let fixture = try StoreFixture(.postgres)
        let idle = try fixture.reopen()
        let adding = Atomic<Bool>(true)
        // Items keep arriving until the waiter wakes: the first may come before its LISTEN is in place.
        let writer = Task.detached {
            var n = 0
            while adding.load(ordering: .relaxed) {
                n += 1
                _ = try fixture.store.addItems([NewWorkItem(key: "N-\(n)", payload: [:])], runID: "run-1", actor: "engine")
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        let clock = ContinuousClock()
        let waited = await clock.measure { await idle.waitForWork(timeout: .seconds(20)) }
        adding.store(false, ordering: .relaxed)
        try await writer.value

        #expect(waited < .seconds(10), "woken by a notification, not by the 20 s timeout")
        #expect(try idle.claimItem(runID: "run-1", worker: "worker:idle", leaseExpiredBefore: .distantPast) != nil)
    }

    @Test("two hosts taking the same schedule slot and flow lock at once: exactly one gets each")
    func slotsAndLocksAcrossHosts() throws {
        let fixture = try StoreFixture(.postgres)
        let hosts = [fixture.store, try fixture.reopen(), try fixture.reopen(), try fixture.reopen()]
        let slotWins = Atomic<Int>(0)
        let lockWins = Atomic<Int>(0)
        let group = DispatchGroup()
        for (index, host) in hosts.enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                if (try? host.claimSlot(flow: "nightly", slot: "2026-12-07T05:30", outcome: "started", runID: "run-\(index)", actor: "schedule")) == true {
                    slotWins.add(1, ordering: .relaxed)
                }
                if (try? host.acquireLock("flow:nightly", holder: "run-\(index)", now: Date(), expires: Date(timeIntervalSinceNow: 60))) == true {
                    lockWins.add(1, ordering: .relaxed)
                }
            }
        }
        group.wait()

        #expect(slotWins.load(ordering: .relaxed) == 1)
        #expect(lockWins.load(ordering: .relaxed) == 1)
        #expect(try fixture.store.auditLog(entityType: "schedule", entityID: nil, limit: 10).count == 1)
    }

    /// A run from before the one under test, whose 5,000 items the test puts in by SQL.
    static func addOlderRun(_ fixture: StoreFixture) throws {
        _ = try fixture.store.createRun(
            RunRecord(id: "older", flow: "clinic-daily-sync", flowPath: "-", inputs: [:], trigger: .cli, triggeredBy: "cli:tester"), actor: "cli:tester")
    }

    /// The store's own claim statement for four claimers of `run-1`, planned as it runs (its arguments
    /// bound) with `EXPLAIN ANALYZE`, then rolled back.
    static func claimPlan(_ server: PrivatePostgres, _ fixture: StoreFixture) throws -> String {
        try server.output(
            of: ["BEGIN", "PREPARE claim AS " + SQLText.numbered(PostgresRunStore.claimStatement),
                 "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE claim('run-1', '2026-11-22T07:00:00.000Z', 4, 'run-1', 4, 4, '{worker:1,worker:2,worker:3,worker:4}', '2026-11-22T09:00:00.000Z', '2026-11-22T09:00:00.000Z')",
                 "ROLLBACK"],
            in: fixture.path)
    }

    @Test("a claim of four items reads a few index entries, however many items older runs left in the table")
    func claimCostDoesNotGrow() throws {
        let fixture = try StoreFixture(.postgres)
        let server = try PrivatePostgres.shared()
        try Self.addOlderRun(fixture)
        try server.execute(
            """
            INSERT INTO work_items (run_id, key, payload, state, claimed_by, claimed_at, updated_at)
            SELECT 'older', 'K-' || n, '{}', 'processing', 'worker:9', '2026-11-22T08:00:00.000Z', '2026-11-22T08:00:00.000Z'
            FROM generate_series(1, 5000) AS n
            """, in: fixture.path)
        // A big run after it: the planner expects a claimable row soon along the primary key, but they all
        // come after the older run's (rows put in directly: the plan is what is tested here).
        try server.execute(
            """
            INSERT INTO work_items (run_id, key, payload, state, updated_at)
            SELECT 'run-1', 'A-' || n, '{}', 'new', '2026-11-22T08:00:00.000Z' FROM generate_series(1, 2000) AS n
            """, in: fixture.path)
        try server.execute("ANALYZE work_items", in: fixture.path)

        let plan = try Self.claimPlan(server, fixture)
        let passedOver = plan.matches(of: /"Rows Removed by Filter": (\d+)/).reduce(0) { $0 + (Int($1.output.1) ?? 0) }
        #expect(plan.contains("\"Actual Rows\": 4"), "\(plan)")
        #expect(passedOver < 50, "the claim read \(passedOver) rows it did not take: \(plan)")
    }

    @Test("items a run has just added are claimed through the index, though the table's statistics are from before they were added")
    func claimPlanAfterAdding() throws {
        let fixture = try StoreFixture(.postgres)
        let server = try PrivatePostgres.shared()
        try Self.addOlderRun(fixture)
        try server.execute(
            """
            INSERT INTO work_items (run_id, key, payload, state, updated_at)
            SELECT 'older', 'K-' || n, '{}', 'done', '2026-11-22T08:00:00.000Z' FROM generate_series(1, 5000) AS n
            """, in: fixture.path)
        // Statistics from when no item was new, as autovacuum left them the night before.
        try server.execute("ANALYZE work_items", in: fixture.path)
        // A run adds its items and its workers claim them at once, long before autovacuum analyzes again.
        try fixture.addItems(2_000)

        let plan = try Self.claimPlan(server, fixture)
        let mostRowsRead = plan.matches(of: /"Actual Rows": (\d+)/).map { Int($0.output.1) ?? 0 }.max() ?? 0
        let passedOver = plan.matches(of: /"Rows Removed by Filter": (\d+)/).reduce(0) { $0 + (Int($1.output.1) ?? 0) }
        #expect(mostRowsRead < 50, "a step of the claim read \(mostRowsRead) rows to take 4: \(plan)")
        #expect(passedOver < 50, "the claim read \(passedOver) rows it did not take: \(plan)")
    }

    @Test("a user who may not emit WAL messages still gets durable concurrent writes: the flush falls back to a no-op update of the head")
    func flushWithoutWALMessages() throws {
        let fixture = try StoreFixture(.postgres)
        try fixture.addItems(200)
        let server = try PrivatePostgres.shared()
        let database = String(fixture.path.split(separator: "/").last ?? "")
        let role = "limited_" + database
        for statement in [
            "CREATE ROLE \(role) LOGIN", "GRANT CREATE, USAGE ON SCHEMA public TO \(role)",
            "GRANT ALL ON ALL TABLES IN SCHEMA public TO \(role)", "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO \(role)",
            "REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC",
        ] {
            try server.execute(statement, in: fixture.path)
        }
        let store = try PostgresRunStore(
            url: fixture.path.replacingOccurrences(of: "//ferry@", with: "//\(role)@"), sealBasePath: fixture.folder + "/ferry", connections: 4)

        // Four claimers at once: each audited write finds others waiting, so commits asynchronously and flushes.
        let claimed = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    while let item = try store.claimItem(runID: "run-1", worker: "worker:\(worker)", leaseExpiredBefore: .distantPast) {
                        claimed.withLock { $0.append(item.id) }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        group.wait()

        #expect(failures.withLock { $0 } == [])
        #expect(Set(claimed.withLock { $0 }).count == 200)
        #expect(claimed.withLock { $0 }.count == 200)
        #expect(try store.verifyAuditLog().isIntact)
    }

    @Test("the database itself refuses UPDATE and DELETE on the audit log")
    func appendOnly() throws {
        let fixture = try StoreFixture(.postgres)
        try fixture.addItems(3)
        let server = try PrivatePostgres.shared()

        let update = #expect(throws: PrivatePostgres.Unavailable.self) { try server.execute("UPDATE audit_log SET reason = 'edited' WHERE seq = 2", in: fixture.path) }
        let delete = #expect(throws: PrivatePostgres.Unavailable.self) { try server.execute("DELETE FROM audit_log WHERE seq = 2", in: fixture.path) }

        #expect(update?.description.contains("append-only") == true)
        #expect(delete?.description.contains("append-only") == true)
        #expect(try fixture.store.verifyAuditLog().rowsChecked == 4)
    }
}

@Suite("ferry store copy", .enabled(if: PrivatePostgres.isTested))
struct PostgresStoreCopyTests {
    @Test("a SQLite installation moves to PostgreSQL row for row, its audit chain and seal verify there, and a second copy is refused")
    func copy() throws {
        let source = try StoreFixture(.sqlite)
        try source.addItems(20)
        let claimed = try #require(try source.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast))
        _ = try source.store.finishItem(id: claimed.id, state: .done, reason: nil, actor: "worker:1")
        try source.store.checkpoint(Checkpoint(runID: "run-1", stage: "login", step: 0, state: .completed), actor: "engine")
        try source.store.saveUser(OperatorAccount(name: "alice", role: .operator, passwordHash: "x"), actor: "cli:tester")
        let url = try PrivatePostgres.shared().makeDatabase()
        let sealBase = source.folder + "/postgres"

        let outcome = try PostgresStoreCopy(sqlitePath: source.path, url: PostgresStoreURL(url), sealBasePath: sealBase).run(replace: false)

        #expect(outcome.verification.isIntact, "\(outcome.verification.problem ?? "")")
        let copied = try PostgresRunStore(url: url, sealBasePath: sealBase)
        #expect(try copied.auditLog(entityType: nil, entityID: nil, limit: 1_000) == source.store.auditLog(entityType: nil, entityID: nil, limit: 1_000))
        #expect(try copied.items(runID: "run-1", states: []) == source.store.items(runID: "run-1", states: []))
        #expect(try copied.checkpoints(runID: "run-1") == source.store.checkpoints(runID: "run-1"))
        #expect(try copied.user(named: "alice")?.role == .operator)
        // The copy carries on: new items get new ids, new audit rows extend the copied chain.
        _ = try copied.addItems([NewWorkItem(key: "after-copy", payload: [:])], runID: "run-1", actor: "engine")
        #expect(try copied.items(runID: "run-1", states: []).last?.id == 21)
        #expect(try copied.verifyAuditLog().isIntact)

        let again = #expect(throws: StoreError.self) {
            try PostgresStoreCopy(sqlitePath: source.path, url: PostgresStoreURL(url), sealBasePath: sealBase).run(replace: false)
        }
        #expect(again?.code == .notEmpty)
    }
}

@Suite("PostgreSQL store URLs")
struct PostgresStoreURLTests {
    @Test("a mistyped URL is refused with the URL's form, not taken for a SQLite file name", arguments: ["postgres:/db-host/ferry", "Postgresql:ferry"])
    func mistyped(_ text: String) {
        #expect(PostgresStoreURL.isPostgres(text))
        let error = #expect(throws: StoreError.self) { try PostgresStoreURL(text) }
        #expect(error?.message.contains("write it as postgres://USER@HOST:PORT/DATABASE") == true, "\(String(describing: error))")
    }

    @Test("the password never shows, and a URL without a database says to add one")
    func described() throws {
        let url = try PostgresStoreURL("postgres://ferry:s3cret@db.internal/ferry", environment: [:])
        #expect(url.description == "postgres://ferry@db.internal:5432/ferry")
        let error = #expect(throws: StoreError.self) { try PostgresStoreURL("postgres://ferry:s3cret@db.internal", environment: [:]) }
        #expect(error?.message.contains("add /DATABASE") == true)
        #expect(!(error.map { "\($0)" } ?? "").contains("s3cret"))
    }
}
