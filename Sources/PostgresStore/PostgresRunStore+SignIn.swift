import Foundation
import Store

/// The sign-in throttle, as ``SQLiteRunStore`` keeps it: per user name and client address. Each change
/// is an audited write, so it holds the chain head and the read-then-write of a row cannot interleave.
extension PostgresRunStore {
    public func reserveSignInAttempt(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = SignInThrottleRow.userName(name)
        return try write { transaction in
            var row = try Self.throttleRow(transaction, user: user, address: address, policy: policy, now: now)
            let (allowance, event) = row.reserve(policy: policy, now: now)
            try Self.saveThrottle(row, transaction)
            if let event { try transaction.appendAudit(event, at: now) }
            return allowance
        }
    }

    public func recordSignInSuccess(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = SignInThrottleRow.userName(name)
        return try write { transaction in
            var row = try Self.throttleRow(transaction, user: user, address: address, policy: policy, now: now)
            let (allowance, event) = row.succeed(policy: policy, now: now)
            try Self.saveThrottle(row, transaction)
            if let event { try transaction.appendAudit(event, at: now) }
            return allowance
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
        let user = SignInThrottleRow.userName(name)
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

    /// The row for `user` and `address` as it counts now (an expired lock's refusals go to the audit log).
    static func throttleRow(_ transaction: PostgresTransaction, user: String, address: String, policy: SignInPolicy, now: Date) throws -> SignInThrottleRow {
        let stored = try transaction.row("SELECT * FROM sign_in_throttle WHERE user_name = ? AND address = ? FOR UPDATE", [user, address])
            .map { row in
                SignInThrottleRow(
                    user: user, address: address, failures: try row.int("failures"), signedIn: try row.int("signed_in"),
                    refused: try row.int("refused"), windowStart: try row.date("window_start") ?? now, lockedUntil: try row.date("locked_until"))
            }
        let (current, event) = SignInThrottleRow.current(stored: stored, user: user, address: address, policy: policy, now: now)
        if let event { try transaction.appendAudit(event, at: now) }
        return current
    }

    static func saveThrottle(_ row: SignInThrottleRow, _ transaction: PostgresTransaction) throws {
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
