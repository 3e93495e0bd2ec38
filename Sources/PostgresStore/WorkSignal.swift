import Foundation
import Logging
import PostgresNIO
import Store
import Synchronization

/// Wakes idle workers when any host adds items or puts items back: one connection per store `LISTEN`s on
/// ``PostgresRunStore/workChannel`` (opened by the first wait), and each notification resumes every waiter.
final class WorkSignal: Sendable {
    let url: PostgresStoreURL
    private let waiters = Mutex<[UInt64: CheckedContinuation<Void, Never>]>([:])
    private let nextWaiter = Atomic<UInt64>(0)
    private let listener = Mutex<Task<Void, Never>?>(nil)
    /// How many notifications arrived (for tests and the benchmark's curiosity).
    let received = Atomic<Int>(0)

    init(url: PostgresStoreURL) {
        self.url = url
    }

    /// Waits for the next notification or `timeout`, whichever comes first.
    func wait(timeout: Duration) async {
        startListening()
        let id = nextWaiter.add(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiters.withLock { $0[id] = continuation }
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.resume(id)
                }
            }
        } onCancel: {
            resume(id)
        }
    }

    private func resume(_ id: UInt64) {
        waiters.withLock { $0.removeValue(forKey: id) }?.resume()
    }

    private func resumeAll() {
        received.add(1, ordering: .relaxed)
        for waiter in waiters.withLock({ waiters -> [CheckedContinuation<Void, Never>] in
            defer { waiters = [:] }
            return Array(waiters.values)
        }) {
            waiter.resume()
        }
    }

    /// Starts the listening connection once; it reconnects after a second when the server drops it.
    func startListening() {
        listener.withLock { task in
            guard task == nil else { return }
            let url = url
            task = Task.detached { [weak self] in
                let logger = Logger(label: "ferry.store.postgres.listen", factory: { _ in SwiftLogNoOpLogHandler() })
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(
                            on: PostgresSession.eventLoops.next(), configuration: url.configuration, id: 0, logger: logger)
                        try await withTaskCancellationHandler {
                            try await connection.listen(on: PostgresRunStore.workChannel) { notifications in
                                for try await _ in notifications { self?.resumeAll() }
                            }
                        } onCancel: {
                            connection.close().whenComplete { _ in }
                        }
                        try? await connection.close()
                    } catch {
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
    }

    func stop() {
        listener.withLock { task in
            task?.cancel()
            task = nil
        }
        for waiter in waiters.withLock({ waiters -> [CheckedContinuation<Void, Never>] in
            defer { waiters = [:] }
            return Array(waiters.values)
        }) {
            waiter.resume()
        }
    }
}
