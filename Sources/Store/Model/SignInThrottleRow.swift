import Foundation

/// One user name and client address's sign-in record, and the throttle's decisions on it. The decisions
/// are the same on every backend: a store only loads the row, saves it and writes the audit event a
/// decision returns, in one transaction.
public struct SignInThrottleRow: Sendable, Hashable {
    public var user: String
    public var address: String
    public var failures: Int
    public var signedIn: Int
    public var refused: Int
    public var windowStart: Date
    public var lockedUntil: Date?

    public init(user: String, address: String, failures: Int, signedIn: Int, refused: Int, windowStart: Date, lockedUntil: Date?) {
        self.user = user
        self.address = address
        self.failures = failures
        self.signedIn = signedIn
        self.refused = refused
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
    }

    /// The name a throttle row is kept under: case-insensitive and bounded, so a flood of long names
    /// cannot grow the table's keys.
    public static func userName(_ name: String) -> String {
        String((name.isEmpty ? "-" : name.lowercased()).prefix(64))
    }

    /// The row a store holds (or nil) as it counts at `now`: a fresh one once its lock or its window has
    /// passed, with the audit event that reports an expired lock's refusals.
    public static func current(
        stored: SignInThrottleRow?, user: String, address: String, policy: SignInPolicy, now: Date
    ) -> (row: SignInThrottleRow, event: AuditEvent?) {
        let fresh = SignInThrottleRow(user: user, address: address, failures: 0, signedIn: 0, refused: 0, windowStart: now, lockedUntil: nil)
        guard let stored else { return (fresh, nil) }
        let expired = stored.lockedUntil.map { $0 <= now } ?? (stored.windowStart.addingTimeInterval(policy.window) <= now)
        guard expired else { return (stored, nil) }
        guard stored.refused > 1 else { return (fresh, nil) }
        return (fresh, AuditEvent(
            actor: "dashboard", entityType: "user", entityID: user, fromState: "locked", toState: "unlocked",
            reason: "sign-in lock expired: \(stored.refused) attempts from \(address) were refused while locked",
            payload: ["address": address]))
    }

    /// Counts an attempt before its password is checked, or refuses it. The first refusal of a lock has an
    /// audit event; later ones are only counted.
    public mutating func reserve(policy: SignInPolicy, now: Date) -> (SignInAllowance, AuditEvent?) {
        if let until = lockedUntil, until > now {
            refused += 1
            return (.refused(until: until), refused == 1 ? lockedEvent(until: until) : nil)
        }
        failures += 1
        guard failures > policy.failures else { return (.allowed, nil) }
        // The attempt that crossed the limit is the lock's first refusal.
        let until = windowStart.addingTimeInterval(policy.window)
        lockedUntil = until
        failures -= 1
        refused = 1
        return (.refused(until: until), lockedEvent(until: until))
    }

    /// Counts a sign-in whose password was right, or refuses it past `policy.successes` in the window.
    public mutating func succeed(policy: SignInPolicy, now: Date) -> (SignInAllowance, AuditEvent?) {
        failures = 0
        signedIn += 1
        guard signedIn > policy.successes else { return (.allowed, nil) }
        let until = windowStart.addingTimeInterval(policy.window)
        lockedUntil = until
        refused += 1
        let event = refused == 1
            ? AuditEvent(
                actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
                reason: "sign-in refused: more than \(policy.successes) sign-ins from \(address) in \(Int(policy.window / 60)) minutes",
                payload: ["address": address])
            : nil
        return (.refused(until: until), event)
    }

    private func lockedEvent(until: Date) -> AuditEvent {
        AuditEvent(
            actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
            reason: "sign-in refused until \(StoreTimestamp.string(until)): \(failures) failed attempts from \(address); further refusals are counted",
            payload: ["address": address])
    }
}
