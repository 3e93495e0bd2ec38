import Foundation
@testable import PostgresStore
import Store
import Synchronization
import Testing

@Suite("Claims combined into one transaction")
struct ClaimCombinerTests {
    static func item(_ id: Int64, for claimer: ClaimCombiner.Claimer) -> WorkItem {
        WorkItem(id: id, runID: "run-1", key: "K-\(id)", payload: [:], state: .processing, attempts: 1, lastError: nil,
                 claimedBy: claimer.worker, claimedAt: Date(), updatedAt: Date())
    }

    /// Runs `claimers` threads that each claim once at the same moment through `combiner`.
    static func claimTogether(_ claimers: Int, _ combiner: ClaimCombiner, perform: @escaping @Sendable ([ClaimCombiner.Claimer]) throws(StoreError) -> [WorkItem?])
        -> [String: Result<WorkItem?, StoreError>]
    {
        let outcomes = Mutex<[String: Result<WorkItem?, StoreError>]>([:])
        let group = DispatchGroup()
        for index in 0..<claimers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let worker = "worker:\(index)"
                let outcome = Result { () throws(StoreError) in
                    try combiner.claim(runID: "run-1", .init(worker: worker, leaseExpiredBefore: .distantPast), perform: perform)
                }
                outcomes.withLock { $0[worker] = outcome }
            }
        }
        group.wait()
        return outcomes.withLock { $0 }
    }

    @Test("each claimer gets the item claimed for it, and claimers arriving while a batch is under way share the next")
    func eachGetsItsOwn() {
        let combiner = ClaimCombiner()
        let batches = Mutex<[Int]>([])
        let next = Mutex<Int64>(0)
        let outcomes = Self.claimTogether(12, combiner) { claimers throws(StoreError) in
            batches.withLock { $0.append(claimers.count) }
            Thread.sleep(forTimeInterval: 0.02)  // a transaction's time, while the others arrive
            return claimers.map { claimer in Self.item(next.withLock { $0 += 1; return $0 }, for: claimer) }
        }

        #expect(outcomes.count == 12)
        for (worker, outcome) in outcomes {
            let item = try? outcome.get()
            #expect(item?.claimedBy == worker)
        }
        let ids = outcomes.values.compactMap { try? $0.get()?.id }
        #expect(Set(ids).count == 12)
        #expect(batches.withLock { $0 }.count < 12)
        #expect(batches.withLock { $0 }.allSatisfy { $0 <= ClaimCombiner.maximumBatch })
    }

    @Test("a batch with fewer items than claimers leaves the rest with nothing to claim")
    func fewerItems() {
        let combiner = ClaimCombiner()
        let left = Mutex<Int64>(3)
        let outcomes = Self.claimTogether(8, combiner) { claimers throws(StoreError) in
            Thread.sleep(forTimeInterval: 0.01)
            return claimers.map { claimer in
                left.withLock { left -> WorkItem? in
                    guard left > 0 else { return nil }
                    left -= 1
                    return Self.item(left + 1, for: claimer)
                }
            }
        }
        #expect(outcomes.count == 8)
        #expect(outcomes.values.compactMap { try? $0.get() }.count == 3)
        #expect(outcomes.values.allSatisfy { if case .success = $0 { true } else { false } })
    }

    @Test("a failed batch fails every claim in it, and the claimers after it still get their turn")
    func failedBatch() {
        let combiner = ClaimCombiner()
        let calls = Mutex(0)
        let failingBatch = Mutex(0)
        let outcomes = Self.claimTogether(10, combiner) { claimers throws(StoreError) in
            let call = calls.withLock { $0 += 1; return $0 }
            // The first batch takes long enough for the others to queue up behind it; the second fails.
            Thread.sleep(forTimeInterval: 0.02)
            if call == 2 {
                failingBatch.withLock { $0 = claimers.count }
                throw StoreError(code: .databaseFailure, path: "test", message: "the connection was lost")
            }
            return claimers.map { Self.item(Int64(call), for: $0) }
        }
        let failed = outcomes.values.filter { if case .failure = $0 { true } else { false } }
        #expect(failingBatch.withLock { $0 } > 1)
        #expect(failed.count == failingBatch.withLock { $0 })
        #expect(failed.allSatisfy { if case .failure(let error) = $0 { error.message.contains("connection was lost") } else { false } })
        #expect(outcomes.count == 10)
        #expect(outcomes.values.filter { (try? $0.get()) != nil }.count == 10 - failed.count)
    }
}
