import Foundation
import Store
import Testing

@Suite("The work-item queue")
struct WorkItemQueueTests {
    @Test("adding the same keys again adds nothing", arguments: StoreBackend.tested)
    func idempotentAdd(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        let records = (1...5).map { NewWorkItem(key: "A-\($0)", payload: ["n": String($0)]) }

        #expect(try fixture.store.addItems(records, runID: "run-1", actor: "engine") == 5)
        #expect(try fixture.store.addItems(records, runID: "run-1", actor: "engine") == 0)
        #expect(try fixture.store.items(runID: "run-1", states: []).count == 5)
    }

    @Test("an item the flow flags starts in needs_review with its reason", arguments: StoreBackend.tested)
    func flaggedItem(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        _ = try fixture.store.addItems([NewWorkItem(key: "A-9", payload: [:], reviewReason: "missing amount")], runID: "run-1", actor: "engine")
        let item = try #require(try fixture.store.items(runID: "run-1", states: [.needsReview]).first)
        #expect(item.lastError == "missing amount")
        #expect(try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast) == nil)
    }

    @Test("claims go oldest first, each item to one worker, and finish moves it on with an audit row", arguments: StoreBackend.tested)
    func claimAndFinish(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.addItems(2)

        let first = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast))
        let second = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:2", leaseExpiredBefore: .distantPast))
        #expect(first.key == "A-1")
        #expect(second.key == "A-2")
        #expect(try fixture.store.claimItem(runID: "run-1", worker: "worker:3", leaseExpiredBefore: .distantPast) == nil)

        let done = try fixture.store.finishItem(id: first.id, state: .done, reason: "Saved entry L-000001", actor: "worker:1")
        #expect(done.state == .done)
        #expect(done.claimedBy == nil)
        let history = try fixture.store.auditLog(entityType: "item", entityID: String(first.id), limit: 10)
        #expect(history.map(\.toState) == ["new", "processing", "done"])
    }

    @Test("a claim left by a killed worker is taken over after its lease expires", arguments: StoreBackend.tested)
    func leaseRecovery(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.addItems(1)
        let abandoned = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:dead", leaseExpiredBefore: .distantPast))

        #expect(try fixture.store.claimItem(runID: "run-1", worker: "worker:2", leaseExpiredBefore: Date(timeIntervalSinceNow: -60)) == nil)
        let recovered = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:2", leaseExpiredBefore: Date(timeIntervalSinceNow: 1)))

        #expect(recovered.id == abandoned.id)
        #expect(recovered.claimedBy == "worker:2")
        #expect(recovered.attempts == 2)
    }

    @Test("a heartbeat keeps a claim from being taken over; a clean stop puts the worker's items back at once, each audited", arguments: StoreBackend.tested)
    func heartbeatAndRelease(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.addItems(3)
        let first = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast))
        let second = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast))
        Thread.sleep(forTimeInterval: 0.05)
        let leaseStart = Date()
        Thread.sleep(forTimeInterval: 0.05)

        #expect(try fixture.store.renewClaim(itemID: first.id, worker: "worker:1"))
        #expect(try fixture.store.renewClaim(itemID: first.id, worker: "worker:2") == false)
        // Claims older than `leaseStart` have expired: the renewed one is not among them, the other is.
        let takenOver = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:2", leaseExpiredBefore: leaseStart))
        #expect(takenOver.id == second.id)
        #expect(try fixture.store.renewClaim(itemID: second.id, worker: "worker:1") == false)

        let released = try fixture.store.releaseClaims(worker: "worker:1", actor: "worker:1", reason: "worker stopped")
        #expect(released.map(\.id) == [first.id])
        #expect(try fixture.store.item(id: first.id)?.state == .new)
        #expect(try fixture.store.item(id: second.id)?.claimedBy == "worker:2")
        let audit = try #require(try fixture.store.auditLog(entityType: "item", entityID: String(first.id), limit: 10).last)
        #expect(audit.fromState == "processing" && audit.toState == "new")
        #expect(audit.reason == "claim of worker:1 released: worker stopped")
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }

    @Test("two stores on one file, two workers each, 500 items: every item claimed exactly once", arguments: StoreBackend.tested)
    func noDoubleClaims(backend: StoreBackend) async throws {
        let fixture = try StoreFixture(backend)
        try fixture.addItems(500)
        let other = try fixture.reopen()  // a second pool on the same store, as a second process would have

        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                let store = worker.isMultiple(of: 2) ? fixture.store : other
                group.addTask {
                    var mine: [Int64] = []
                    while let item = try store.claimItem(runID: "run-1", worker: "worker:\(worker)", leaseExpiredBefore: .distantPast) {
                        mine.append(item.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }

        #expect(claimed.count == 500)
        #expect(Set(claimed).count == 500)
        let claims = try fixture.store.auditLog(entityType: "item", entityID: nil, limit: 10_000).filter { $0.toState == "processing" }
        #expect(claims.count == 500)
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }

    @Test("an interruption makes the run interrupted, puts its own claimed items back, releases its locks, audits each, then writes nothing more", arguments: StoreBackend.tested)
    func interruption(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.addItems(4)
        let claimed = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast))
        let finished = try #require(try fixture.store.claimItem(runID: "run-1", worker: "worker:2", leaseExpiredBefore: .distantPast))
        _ = try fixture.store.finishItem(id: finished.id, state: .done, reason: nil, actor: "worker:2")
        let mine = try #require(try fixture.store.claimItem(runID: "run-1", worker: "here:100/worker:3", leaseExpiredBefore: .distantPast))
        // A `ferry worker` on another host is in the middle of this one: the stop of this process is not its stop.
        let elsewhere = try #require(try fixture.store.claimItem(runID: "run-1", worker: "there:100/worker:1", leaseExpiredBefore: .distantPast))
        #expect(try fixture.store.acquireLock("credential:abc", holder: "run-1", now: Date(), expires: Date(timeIntervalSinceNow: 300)))
        #expect(try fixture.store.acquireLock("credential:other", holder: "run-2", now: Date(), expires: Date(timeIntervalSinceNow: 300)))

        try fixture.store.recordInterruption(runIDs: ["run-1"], actor: "engine", reason: "stopped by SIGTERM", owner: ClaimOwner(process: "here:100"))

        let run = try #require(try fixture.store.run(id: "run-1"))
        #expect(run.state == .interrupted)
        #expect(run.failure == "stopped by SIGTERM")
        #expect(try fixture.store.items(runID: "run-1", states: [.processing]).map(\.id) == [elsewhere.id])
        #expect(try fixture.store.item(id: elsewhere.id)?.claimedBy == "there:100/worker:1")
        #expect(try fixture.store.item(id: mine.id)?.state == .new)
        #expect(try fixture.store.item(id: claimed.id)?.state == .new)
        #expect(try fixture.store.item(id: claimed.id)?.claimedBy == nil)
        #expect(try fixture.store.item(id: finished.id)?.state == .done)
        #expect(try fixture.store.lockHolder("credential:abc", now: Date()) == nil)
        #expect(try fixture.store.lockHolder("credential:other", now: Date()) == "run-2")
        #expect(try fixture.store.auditLog(entityType: "run", entityID: "run-1", limit: 10).last?.toState == "interrupted")
        let released = try fixture.store.auditLog(entityType: "item", entityID: String(claimed.id), limit: 10).last
        #expect(released?.fromState == "processing" && released?.toState == "new")
        #expect(released?.reason?.contains("claim of worker:1 released: stopped by SIGTERM") == true)
        #expect(try fixture.store.auditLog(entityType: "lock", entityID: "credential:abc", limit: 10).last?.toState == "released")
        #expect(try fixture.store.verifyAuditLog().isIntact)

        // What the stopping process's workers still try is refused, so no item is failed by the stop.
        let refused = #expect(throws: StoreError.self) {
            try fixture.store.finishItem(id: claimed.id, state: .error, reason: "browser closed", actor: "worker:1")
        }
        #expect(refused?.code == .closed)
        #expect(try fixture.store.item(id: claimed.id)?.state == .new)
        #expect(throws: StoreError.self) { try fixture.store.claimItem(runID: "run-1", worker: "worker:1", leaseExpiredBefore: .distantPast) }
    }
}
