import Dispatch

/// Runs the dashboard's blocking work (SQLite reads and writes, rendering a page from them, reading an
/// artifact) on its own threads, never on the server's event loop or Swift's cooperative pool (two
/// threads here): a slow page then delays only itself, not every other request.
enum StoreWork {
    private static let queue = DispatchQueue(label: "ferry.dashboard.store", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
