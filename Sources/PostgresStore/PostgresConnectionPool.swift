import Foundation
import Store
import Synchronization

/// A fixed number of connections, opened as needed and handed to one caller at a time; a caller waits
/// (blocking its thread) while all are in use. A connection the server closed is dropped and replaced.
final class PostgresConnectionPool: Sendable {
    let url: PostgresStoreURL
    let size: Int
    private let idle = Mutex<[PostgresSession]>([])
    private let slots: DispatchSemaphore

    init(url: PostgresStoreURL, size: Int) {
        self.url = url
        self.size = size
        self.slots = DispatchSemaphore(value: size)
    }

    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        var session = idle.withLock { $0.popLast() }
        if session?.isClosed ?? true { session = try PostgresSession.connect(url) }
        guard let session else { preconditionFailure("connect returns a session or throws") }
        defer { if !session.isClosed { idle.withLock { $0.append(session) } } }
        return try body(session)
    }

    func closeAll() {
        for session in idle.withLock({ sessions -> [PostgresSession] in
            defer { sessions = [] }
            return sessions
        }) {
            session.close()
        }
    }
}
