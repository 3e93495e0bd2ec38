import Dispatch
import Foundation
import Store
import Synchronization

/// Combines the claims that this process's workers make at the same moment on one run into one
/// transaction: one claim statement, one turn at the audit chain's head, one commit and flush for all.
///
/// Every audited write on every host waits for the chain head, so claims are bounded by how many
/// transactions a second can take it in turn, not by the claim statement. A worker that asks while
/// another's claim is under way joins the next batch instead of queueing for the head on its own: the
/// first to ask leads a batch of everyone then waiting (at most ``maximumBatch``), and hands the lead to
/// the oldest waiter when it is done. A lone claimer waits for nobody. Each claim still has its own row,
/// worker and audit row, and returns only once committed and flushed; a failed batch fails every claim
/// in it, as a failed transaction would each of its own.
final class ClaimCombiner: Sendable {
    /// One worker's request: who claims, and which leases count as expired for it.
    struct Claimer: Sendable {
        let worker: String
        let leaseExpiredBefore: Date
    }

    /// The most claims one transaction makes: enough that a host's workers share one, few enough that the
    /// transaction holds the head briefly.
    static let maximumBatch = 16

    private final class Pending: @unchecked Sendable {
        // Written by the leader before `ready` is signalled, read by the owner after: the semaphore orders them.
        let claimer: Claimer
        let ready = DispatchSemaphore(value: 0)
        var outcome: Result<WorkItem?, StoreError>?
        init(_ claimer: Claimer) { self.claimer = claimer }
    }

    private struct Queue {
        var waiting: [Pending] = []
        /// Batches under way (at most ``maximumLeaders``).
        var leaders = 0
        /// How many claimers there were when the last batch ended: its own, normally back within moments,
        /// and those that waited meanwhile. (The last batch's size alone could settle on halves: two
        /// claimers in each batch, each leader waiting only for as many as the last one took.)
        var claimers = 0
        /// A leader waiting for the last batch's claimers, and how many it waits for.
        var gathering: (waiting: Int, arrived: DispatchSemaphore)?
    }

    /// Batches of one run under way at once. One: a second batch started while the first holds the chain
    /// head only waits for the head at the server, and splits the claimers into smaller batches (measured:
    /// 1,000–1,465 claims/s at 4 claimers with two, against about 1,500 with one).
    static let maximumLeaders = 1

    /// How long a new leader waits for the last batch's claimers to come back before claiming without them.
    static let gathering = DispatchTimeInterval.microseconds(300)

    private let queues = Mutex<[String: Queue]>([:])

    /// Claims one item of `runID` for `claimer`, in a batch with the claims others make at the same moment;
    /// `perform` claims for a batch in one transaction and answers in its order (`nil`: nothing to claim).
    func claim(
        runID: String, _ claimer: Claimer, perform: ([Claimer]) throws(StoreError) -> [WorkItem?]
    ) throws(StoreError) -> WorkItem? {
        let mine = Pending(claimer)
        let leads = queues.withLock { queues in
            var queue = queues.removeValue(forKey: runID) ?? Queue()
            defer { queues[runID] = queue }
            if queue.leaders < Self.maximumLeaders {
                queue.leaders += 1
                return true
            }
            queue.waiting.append(mine)
            if let gathering = queue.gathering, queue.waiting.count >= gathering.waiting {
                gathering.arrived.signal()
                queue.gathering = nil
            }
            return false
        }
        if !leads {
            // Answered by another's batch, or handed the lead (taken off the queue, no outcome).
            mine.ready.wait()
            if let outcome = mine.outcome { return try outcome.get() }
        }
        // The last batch's claimers were all answered at once and are on their way back; a leader that
        // claimed at once would take a batch of one, then the rest would make the next: half the batch.
        let arrived = DispatchSemaphore(value: 0)
        let gathers = queues.withLock { queues in
            let wanted = min(queues[runID]!.claimers, Self.maximumBatch) - 1
            guard queues[runID]!.waiting.count < wanted else { return false }
            queues[runID]!.gathering = (wanted, arrived)
            return true
        }
        if gathers {
            _ = arrived.wait(timeout: .now() + Self.gathering)
            queues.withLock { $0[runID]!.gathering = nil }
        }
        let batch = queues.withLock { queues -> [Pending] in
            let others = Array(queues[runID]!.waiting.prefix(Self.maximumBatch - 1))
            queues[runID]!.waiting.removeFirst(others.count)
            return [mine] + others
        }
        let outcomes: [Result<WorkItem?, StoreError>]
        do throws(StoreError) {
            let items = try perform(batch.map(\.claimer))
            outcomes = batch.indices.map { .success($0 < items.count ? items[$0] : nil) }
        } catch {
            outcomes = batch.map { _ in .failure(error) }
        }
        for (pending, outcome) in zip(batch, outcomes).dropFirst() {
            pending.outcome = outcome
            pending.ready.signal()
        }
        let next = queues.withLock { queues -> Pending? in
            queues[runID]!.claimers = batch.count + queues[runID]!.waiting.count
            // The oldest waiter leads the next batch in this one's place.
            if !queues[runID]!.waiting.isEmpty { return queues[runID]!.waiting.removeFirst() }
            queues[runID]!.leaders -= 1
            // A queue is kept between claims for its count of claimers; a long-lived worker sees many runs.
            if queues.count > 64 { queues = queues.filter { $0.value.leaders > 0 || !$0.value.waiting.isEmpty } }
            return nil
        }
        next?.ready.signal()
        return try outcomes[0].get()
    }
}
