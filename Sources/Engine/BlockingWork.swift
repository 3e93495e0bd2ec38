import Dispatch

/// Runs blocking work (a libxml2 parse, a report read) on a dispatch queue instead of Swift's
/// cooperative thread pool, which has only two threads here and must never stall on a long parse.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "ferry.engine.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
