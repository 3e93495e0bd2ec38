import Foundation
import GRDB

/// The sign-in throttle, kept in the store: per user name and client address, so a guesser elsewhere
/// cannot lock a real user out from their own desk, and a restart does not reset it.
extension SQLiteRunStore {
    public func reserveSignInAttempt(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = SignInThrottleRow.userName(name)
        return try write { db in
            var row = try Self.throttleRow(db, user: user, address: address, policy: policy, now: now)
            let (allowance, event) = row.reserve(policy: policy, now: now)
            try Self.saveThrottle(row, db)
            if let event { try Self.appendAudit(event, at: now, in: db) }
            return allowance
        }
    }

    public func recordSignInSuccess(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = SignInThrottleRow.userName(name)
        return try write { db in
            var row = try Self.throttleRow(db, user: user, address: address, policy: policy, now: now)
            let (allowance, event) = row.succeed(policy: policy, now: now)
            try Self.saveThrottle(row, db)
            if let event { try Self.appendAudit(event, at: now, in: db) }
            return allowance
        }
    }

    public func signInLocks(now: Date) throws(StoreError) -> [SignInLock] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sign_in_throttle WHERE locked_until > ? ORDER BY user_name, address",
                             arguments: [StoreTimestamp.string(now)]).map { row in
                SignInLock(userName: row["user_name"], address: row["address"], until: StoreTimestamp.date(row["locked_until"]) ?? now,
                           refused: row["refused"])
            }
        }
    }

    @discardableResult
    public func unlockSignIn(name: String, actor: String, origin: [String: String]) throws(StoreError) -> Int {
        let user = SignInThrottleRow.userName(name)
        return try write { db in
            let now = Date()
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM sign_in_throttle WHERE user_name = ? AND locked_until > ?",
                                        arguments: [user, StoreTimestamp.string(now)])
            try db.execute(sql: "DELETE FROM sign_in_throttle WHERE user_name = ?", arguments: [user])
            let refused = rows.reduce(0) { $0 + ($1["refused"] as Int) }
            let addresses = rows.map { $0["address"] as String }
            try Self.appendAudit(
                AuditEvent(actor: actor, entityType: "user", entityID: user, fromState: rows.isEmpty ? nil : "locked", toState: "unlocked",
                           reason: rows.isEmpty ? "sign-in unlocked (it was not locked)"
                               : "sign-in unlocked: \(refused) attempt\(refused == 1 ? "" : "s") refused while locked",
                           payload: origin.merging(["addresses": addresses.joined(separator: ", ")]) { own, _ in own }),
                at: now, in: db)
            return rows.count
        }
    }

    // MARK: Rows

    /// The row for `user` and `address` as it counts now (an expired lock's refusals go to the audit log).
    static func throttleRow(_ db: Database, user: String, address: String, policy: SignInPolicy, now: Date) throws -> SignInThrottleRow {
        let stored = try Row.fetchOne(db, sql: "SELECT * FROM sign_in_throttle WHERE user_name = ? AND address = ?", arguments: [user, address])
            .map { row in
                SignInThrottleRow(
                    user: user, address: address, failures: row["failures"], signedIn: row["signed_in"], refused: row["refused"],
                    windowStart: StoreTimestamp.date(row["window_start"]) ?? now, lockedUntil: StoreTimestamp.date(row["locked_until"]))
            }
        let (current, event) = SignInThrottleRow.current(stored: stored, user: user, address: address, policy: policy, now: now)
        if let event { try appendAudit(event, at: now, in: db) }
        return current
    }

    static func saveThrottle(_ row: SignInThrottleRow, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sign_in_throttle (user_name, address, failures, signed_in, refused, window_start, locked_until)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_name, address) DO UPDATE SET failures = excluded.failures, signed_in = excluded.signed_in,
                    refused = excluded.refused, window_start = excluded.window_start, locked_until = excluded.locked_until
                """,
            arguments: [row.user, row.address, row.failures, row.signedIn, row.refused, StoreTimestamp.string(row.windowStart),
                        row.lockedUntil.map(StoreTimestamp.string)])
    }
}
