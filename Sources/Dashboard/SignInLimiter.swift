import Foundation
import Synchronization

/// Counts failed sign-ins per user name and per address; after `attempts` failures within `window`
/// further attempts are refused (even with the right password) until the window has passed.
final class SignInLimiter: Sendable {
    private let attempts: Int
    private let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(attempts: Int, window: Duration) {
        self.attempts = attempts
        self.window = Double(window.components.seconds)
    }

    /// Whether a sign-in for `name` from `address` may be tried now.
    func allows(name: String, address: String, now: Date = Date()) -> Bool {
        failures.withLock { failures in
            let since = now.addingTimeInterval(-window)
            return [Self.nameKey(name), Self.addressKey(address)].allSatisfy { key in
                (failures[key]?.filter { $0 > since }.count ?? 0) < attempts
            }
        }
    }

    func recordFailure(name: String, address: String, now: Date = Date()) {
        failures.withLock { failures in
            let since = now.addingTimeInterval(-window)
            for key in [Self.nameKey(name), Self.addressKey(address)] {
                failures[key] = (failures[key] ?? []).filter { $0 > since } + [now]
            }
            // Keep the table small: forget keys with no recent failure.
            if failures.count > 10_000 { failures = failures.filter { $0.value.contains { $0 > since } } }
        }
    }

    func recordSuccess(name: String) {
        failures.withLock { _ = $0.removeValue(forKey: Self.nameKey(name)) }
    }

    private static func nameKey(_ name: String) -> String { "user:" + name.lowercased() }
    private static func addressKey(_ address: String) -> String { "addr:" + address }
}
