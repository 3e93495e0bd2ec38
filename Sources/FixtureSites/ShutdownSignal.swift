import Synchronization

/// Tells long-running responses (the never-ending downloads) that the servers are stopping, so they
/// end and do not hold graceful shutdown forever.
final class ShutdownSignal: Sendable {
    private let stopping = Mutex(false)

    var isStopping: Bool { stopping.withLock { $0 } }

    func set(_ value: Bool) {
        stopping.withLock { $0 = value }
    }
}
