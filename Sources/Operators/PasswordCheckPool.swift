import Dispatch
import Synchronization

/// Runs password hashing (PBKDF2, 600,000 rounds: tens of milliseconds of CPU each) on its own
/// threads, at most `width` at once and with at most `queueLimit` waiting, so sign-ins never stall the
/// server's event loop or Swift's cooperative pool and a flood of sign-ins is turned away (503), not queued.
public final class PasswordCheckPool: Sendable {
    public let width: Int
    public let queueLimit: Int
    private let queue = DispatchQueue(label: "ferry.passwords", qos: .userInitiated, attributes: .concurrent)
    private let state = Mutex<(running: Int, waiting: [CheckedContinuation<Void, Never>])>((0, []))

    public init(width: Int = 2, queueLimit: Int = 16) {
        self.width = max(1, width)
        self.queueLimit = max(0, queueLimit)
    }

    /// `body`'s result, or nil when `width` checks are running and `queueLimit` are already waiting.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        guard await acquire() else { return nil }
        defer { release() }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private func acquire() async -> Bool {
        enum Decision { case run, wait, refuse }
        let decision: Decision = state.withLock { state in
            if state.running < width {
                state.running += 1
                return .run
            }
            return state.waiting.count < queueLimit ? .wait : .refuse
        }
        switch decision {
        case .run: return true
        case .refuse: return false
        case .wait:
            await withCheckedContinuation { continuation in
                let started: Bool = state.withLock { state in
                    // A slot may have freed up between the two locks.
                    if state.running < width {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if started { continuation.resume() }
            }
            return true
        }
    }

    private func release() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            // The slot passes to the next waiter directly; `running` stays the same.
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
