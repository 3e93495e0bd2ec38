import Foundation
import Store
import Synchronization

/// A worker's hold on the item it is working: renews the claim every third of the lease, so no other
/// worker takes the item over while this one is at it, and notices when the claim was lost (the lease
/// ran out during a stall and another worker took the item, or a person or a stop put it back). A
/// worker that lost its claim leaves the item alone: it neither goes on with its steps nor finishes it.
final class ClaimHeartbeat: Sendable {
    let itemID: Int64
    let worker: String
    private let store: any RunStore
    private let lost = Atomic<Bool>(false)
    private let beat = Mutex<Task<Void, Never>?>(nil)

    /// Starts renewing the claim `worker` holds on item `itemID`, every `interval`.
    init(itemID: Int64, worker: String, store: any RunStore, interval: Duration) {
        self.itemID = itemID
        self.worker = worker
        self.store = store
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                if !self.renew() { return }
            }
        }
        beat.withLock { $0 = task }
    }

    /// Whether the claim is known to be another's (or nobody's) now.
    var isLost: Bool { lost.load(ordering: .acquiring) }

    /// Renews the claim now; false (and lost from then on) when it is no longer this worker's. A store
    /// that cannot be written just now does not lose the claim: the next beat tries again.
    @discardableResult
    func renew() -> Bool {
        guard !isLost else { return false }
        do {
            if try store.renewClaim(itemID: itemID, worker: worker) { return true }
        } catch {
            return true
        }
        lost.store(true, ordering: .releasing)
        return false
    }

    /// Stops renewing (the item is finished or given up).
    func stop() {
        beat.withLock { $0?.cancel() }
    }

    deinit { beat.withLock { $0?.cancel() } }
}
