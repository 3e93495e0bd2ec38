import Foundation
import PostgresStore
import Store
import Synchronization
import Testing

/// What the PostgreSQL store adds to the shared behaviour tests: many connections (hosts) at once.
@Suite("The PostgreSQL store across connections", .enabled(if: PrivatePostgres.isTested))
struct PostgresStoreTests {
    @Test("8 connections claiming 5,000 items concurrently: each exactly once, 5,000 claim audit rows, the chain verifies")
    func concurrentClaims() throws {
        let fixture = try StoreFixture(.postgres)
        try fixture.addItems(5_000)
        let store = try fixture.reopen(connections: 8)

        // Threads, not tasks: each claimer blocks on its connection, as a worker on its own host would.
        let claimed = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for worker in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    var mine: [Int64] = []
                    while let item = try store.claimItem(runID: "run-1", worker: "worker:\(worker)", leaseExpiredBefore: .distantPast) {
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
