import Foundation
import GRDB

/// The sign-in throttle, kept in the store: per user name and client address, so a guesser elsewhere
/// cannot lock a real user out from their own desk, and a restart does not reset it.
extension SQLiteRunStore {
    public func reserveSignInAttempt(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = Self.throttleName(name)
        return try write { db in
            var row = try Self.throttleRow(db, user: user, address: address, policy: policy, now: now)
            if let until = row.lockedUntil, until > now {
                row.refused += 1
                try Self.saveThrottle(row, db)
                if row.refused == 1 {
                    // One row when the lock starts refusing; the rest are counted and reported when it is lifted.
                    try Self.appendAudit(
                        AuditEvent(actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
                                   reason: "sign-in refused until \(StoreTimestamp.string(until)): \(row.failures) failed attempts from \(address); further refusals are counted",
                                   payload: ["address": address]),
                        at: now, in: db)
                }
                return .refused(until: until)
            }
            row.failures += 1
            if row.failures > policy.failures {
                row.lockedUntil = row.windowStart.addingTimeInterval(policy.window)
                row.refused = 0
                try Self.saveThrottle(row, db)
                return try reserveAgain(row, db: db, now: now)
            }
            try Self.saveThrottle(row, db)
            return .allowed
        }
    }

    /// The attempt that crossed the limit is the lock's first refusal.
    private func reserveAgain(_ row: ThrottleRow, db: Database, now: Date) throws -> SignInAllowance {
        var row = row
        row.failures -= 1
        row.refused = 1
        try Self.saveThrottle(row, db)
        let until = row.lockedUntil ?? now
        try Self.appendAudit(
            AuditEvent(actor: "dashboard", entityType: "user", entityID: row.user, toState: "locked",
                       reason: "sign-in refused until \(StoreTimestamp.string(until)): \(row.failures) failed attempts from \(row.address); further refusals are counted",
                       payload: ["address": row.address]),
            at: now, in: db)
        return .refused(until: until)
    }

    public func recordSignInSuccess(name: String, address: String, policy: SignInPolicy, now: Date) throws(StoreError) -> SignInAllowance {
        let user = Self.throttleName(name)
        return try write { db in
            var row = try Self.throttleRow(db, user: user, address: address, policy: policy, now: now)
            row.failures = 0
            row.signedIn += 1
            if row.signedIn > policy.successes {
                row.lockedUntil = row.windowStart.addingTimeInterval(policy.window)
                row.refused += 1
                try Self.saveThrottle(row, db)
                if row.refused == 1 {
                    try Self.appendAudit(
                        AuditEvent(actor: "dashboard", entityType: "user", entityID: user, toState: "locked",
                                   reason: "sign-in refused: more than \(policy.successes) sign-ins from \(address) in \(Int(policy.window / 60)) minutes",
                                   payload: ["address": address]),
                        at: now, in: db)
                }
                return .refused(until: row.lockedUntil ?? now)
            }
            try Self.saveThrottle(row, db)
            return .allowed
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
        let user = Self.throttleName(name)
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

    /// The row for `user` and `address`, started afresh when its window has passed (an expired lock's
    /// refusals are written to the audit log then, in one row).
    static func throttleRow(_ db: Database, user: String, address: String, policy: SignInPolicy, now: Date) throws -> ThrottleRow {
        let fresh = ThrottleRow(user: user, address: address, failures: 0, signedIn: 0, refused: 0, windowStart: now, lockedUntil: nil)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sign_in_throttle WHERE user_name = ? AND address = ?", arguments: [user, address])
        else { return fresh }
        let stored = ThrottleRow(
            user: user, address: address, failures: row["failures"], signedIn: row["signed_in"], refused: row["refused"],
            windowStart: StoreTimestamp.date(row["window_start"]) ?? now, lockedUntil: StoreTimestamp.date(row["locked_until"]))
        let expired = stored.lockedUntil.map { $0 <= now } ?? (stored.windowStart.addingTimeInterval(policy.window) <= now)
        guard expired else { return stored }
        if stored.refused > 1 {
            try appendAudit(
                AuditEvent(actor: "dashboard", entityType: "user", entityID: user, fromState: "locked", toState: "unlocked",
                           reason: "sign-in lock expired: \(stored.refused) attempts from \(address) were refused while locked",
                           payload: ["address": address]),
                at: now, in: db)
        }
        return fresh
    }

    static func saveThrottle(_ row: ThrottleRow, _ db: Database) throws {
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
