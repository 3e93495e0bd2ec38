import Foundation
import Store

/// The sign-in throttle, as ``SQLiteRunStore`` keeps it: per user name and client address. Each change
/// is an audited write, so it holds the chain head and the read-then-write of a row cannot interleave.
extension PostgresRunStore {
    public func reserveSignInAttempt(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = Self.throttleName(name)
        return try write { transaction in
            var row = try Self.throttleRow(transaction, user: user, address: address, policy: policy, now: now)
            if let until = row.lockedUntil, until > now {
                row.refused += 1
                try Self.saveThrottle(row, transaction)
                if row.refused == 1 {
                    try transaction.appendAudit(
                        AuditEvent(actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
                                   reason: "sign-in refused until \(StoreTimestamp.string(until)): \(row.failures) failed attempts from \(address); further refusals are counted",
                                   payload: ["address": address]),
                        at: now)
                }
                return .refused(until: until)
            }
            row.failures += 1
            if row.failures > policy.failures {
                // The attempt that crossed the limit is the lock's first refusal.
                row.lockedUntil = row.windowStart.addingTimeInterval(policy.window)
                row.failures -= 1
                row.refused = 1
                try Self.saveThrottle(row, transaction)
                let until = row.lockedUntil ?? now
                try transaction.appendAudit(
                    AuditEvent(actor: "dashboard", entityType: "user", entityID: row.user, toState: "locked",
                               reason: "sign-in refused until \(StoreTimestamp.string(until)): \(row.failures) failed attempts from \(row.address); further refusals are counted",
                               payload: ["address": row.address]),
                    at: now)
                return .refused(until: until)
            }
            try Self.saveThrottle(row, transaction)
            return .allowed
        }
    }

    public func recordSignInSuccess(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = Self.throttleName(name)
        return try write { transaction in
            var row = try Self.throttleRow(transaction, user: user, address: address, policy: policy, now: now)
            row.failures = 0
            row.signedIn += 1
            if row.signedIn > policy.successes {
                row.lockedUntil = row.windowStart.addingTimeInterval(policy.window)
                row.refused += 1
                try Self.saveThrottle(row, transaction)
                if row.refused == 1 {
                    try transaction.appendAudit(
                        AuditEvent(actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
                                   reason: "sign-in refused: more than \(policy.successes) sign-ins from \(address) in \(Int(policy.window / 60)) minutes",
                                   payload: ["address": address]),
                        at: now)
                }
                return .refused(until: row.lockedUntil ?? now)
            }
            try Self.saveThrottle(row, transaction)
            return .allowed
        }
    }

    public func signInLocks(now: Date) throws(StoreError) -> [SignInLock] {
        try read { session in
            try session.rows("SELECT * FROM sign_in_throttle WHERE locked_until > ? ORDER BY user_name, address", [StoreTimestamp.string(now)]).map { row in
                SignInLock(userName: try row.text("user_name"), address: try row.text("address"), until: try row.date("locked_until") ?? now,
                           refused: try row.int("refused"))
            }
        }
    }

    @discardableResult
    public func unlockSignIn(name: String, actor: String, origin: [String: String]) throws(StoreError) -> Int {
        let user = Self.throttleName(name)
        return try write { transaction in
            let now = Date()
            let rows = try transaction.rows(
                "SELECT * FROM sign_in_throttle WHERE user_name = ? AND locked_until > ? ORDER BY address", [user, StoreTimestamp.string(now)])
            try transaction.execute("DELETE FROM sign_in_throttle WHERE user_name = ?", [user])
            let refused = try rows.reduce(0) { $0 + (try $1.int("refused")) }
            let addresses = try rows.map { try $0.text("address") }
            try transaction.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: user, fromState: rows.isEmpty ? nil : "locked", toState: "unlocked",
                           reason: rows.isEmpty ? "sign-in unlocked (it was not locked)"
                               : "sign-in unlocked: \(refused) attempt\(refused == 1 ? "" : "s") refused while locked",
                           payload: origin.merging(["addresses": addresses.joined(separator: ", ")]) { own, _ in own }),
                at: now)
            return rows.count
        }
    }

    // MARK: Rows

    struct ThrottleRow {
        var user: String
        var address: String
        var failures: Int
        var signedIn: Int
        var refused: Int
        var windowStart: Date
        var lockedUntil: Date?
    }

    static func throttleName(_ name: String) -> String {
        let trimmed = name.isEmpty ? "-" : name.lowercased()
        return String(trimmed.prefix(64))
    }

    static func throttleRow(_ transaction: PostgresTransaction, user: String, address: String, policy: SignInPolicy, now: Date) throws -> ThrottleRow {
        let fresh = ThrottleRow(user: user, address: address, failures: 0, signedIn: 0, refused: 0, windowStart: now, lockedUntil: nil)
        guard let row = try transaction.row("SELECT * FROM sign_in_throttle WHERE user_name = ? AND address = ? FOR UPDATE", [user, address])
        else { return fresh }
        let stored = ThrottleRow(
            user: user, address: address, failures: try row.int("failures"), signedIn: try row.int("signed_in"), refused: try row.int("refused"),
            windowStart: try row.date("window_start") ?? now, lockedUntil: try row.date("locked_until"))
        let expired = stored.lockedUntil.map { $0 <= now } ?? (stored.windowStart.addingTimeInterval(policy.window) <= now)
        guard expired else { return stored }
        if stored.refused > 1 {
            try transaction.appendAudit(
                AuditEvent(actor: "dashboard", entityType: "user", entityID: user, fromState: "locked", toState: "unlocked",
                           reason: "sign-in lock expired: \(stored.refused) attempts from \(address) were refused while locked",
                           payload: ["address": address]),
                at: now)
        }
        return fresh
    }

    static func saveThrottle(_ row: ThrottleRow, _ transaction: PostgresTransaction) throws {
        try transaction.execute(
            """
            INSERT INTO sign_in_throttle (user_name, address, failures, signed_in, refused, window_start, locked_until)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_name, address) DO UPDATE SET failures = excluded.failures, signed_in = excluded.signed_in,
                refused = excluded.refused, window_start = excluded.window_start, locked_until = excluded.locked_until
            """,
            [row.user, row.address, row.failures, row.signedIn, row.refused, StoreTimestamp.string(row.windowStart),
             row.lockedUntil.map(StoreTimestamp.string)])
    }
}
