import Foundation
import Store

/// Dashboard users and their signed-in sessions.
///
/// Session tokens are 256 random bits; the store keeps only their SHA-256, so a copy of the database
/// does not sign anybody in. Each session has its own CSRF token.
public struct OperatorAccounts: Sendable {
    public let store: any OperatorStore
    public let hasher: PasswordHasher
    /// Where the dashboard's password checks run (off the event loop, bounded).
    public let checks: PasswordCheckPool
    /// How long a session lasts after sign-in.
    public var sessionLifetime: Duration = .seconds(12 * 3600)

    public init(store: any OperatorStore, hasher: PasswordHasher = PasswordHasher(), checks: PasswordCheckPool = PasswordCheckPool()) {
        self.store = store
        self.hasher = hasher
        self.checks = checks
    }

    /// The shortest password accepted.
    public static let minimumPasswordLength = 10

    /// Adds a user (or sets the role and password of an existing one).
    public func addUser(name: String, role: OperatorRole, password: String, by actor: String) throws(OperatorError) {
        guard Self.isValidName(name) else {
            throw OperatorError(.invalidInput, "user names are 1 to 64 letters, digits, '.', '_' or '-': '\(name)' is not one")
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw OperatorError(.invalidInput, "the password needs at least \(Self.minimumPasswordLength) characters")
        }
        let hash = try hasher.hash(password)
        do {
            try store.saveUser(OperatorAccount(name: name, role: role, passwordHash: hash), actor: actor)
        } catch {
            throw OperatorError(error)
        }
    }

    /// The account when the name and password match; `nil` otherwise (the same work is done for an
    /// unknown name, so timing does not reveal which names exist).
    public func authenticate(name: String, password: String) -> OperatorAccount? {
        let account = try? store.user(named: name)
        let stored = account?.passwordHash ?? unknownUserHash
        let matches = hasher.verify(password, against: stored)
        return matches && account?.disabledAt == nil ? account : nil
    }

    /// What a sign-in's password check found.
    public enum Check: Sendable {
        case matched(OperatorAccount)
        case refused
        /// Too many checks running and waiting: try again in a moment.
        case busy
    }

    /// ``authenticate(name:password:)`` on the ``checks`` pool, never on the caller's thread.
    public func check(name: String, password: String) async -> Check {
        let accounts = self
        guard let found = await checks.run({ accounts.authenticate(name: name, password: password) }) else { return .busy }
        return found.map(Check.matched) ?? .refused
    }

    /// Disables or enables an account (disabling ends its sessions).
    public func setDisabled(name: String, disabled: Bool, by person: Operator) throws(OperatorError) {
        do {
            try store.setUserDisabled(name: name, disabled: disabled, actor: person.actor, origin: person.origin)
        } catch {
            throw OperatorError(error)
        }
    }

    /// Deletes an account and its sessions.
    public func delete(name: String, by person: Operator) throws(OperatorError) {
        do {
            try store.deleteUser(name: name, actor: person.actor, origin: person.origin)
        } catch {
            throw OperatorError(error)
        }
    }

    /// Lifts the sign-in throttle's locks on `name`; returns how many (name, address) locks there were.
    @discardableResult
    public func unlock(name: String, by person: Operator) throws(OperatorError) -> Int {
        do {
            return try store.unlockSignIn(name: name, actor: person.actor, origin: person.origin)
        } catch {
            throw OperatorError(error)
        }
    }

    /// Records a new session for `account`; returns the token for the cookie.
    public func startSession(for account: OperatorAccount, now: Date = Date()) throws(OperatorError) -> (token: String, session: OperatorSessionRecord) {
        let token = Self.randomToken()
        let record = OperatorSessionRecord(
            tokenHash: Self.tokenHash(token), userName: account.name, csrfToken: Self.randomToken(), createdAt: now,
            expiresAt: now.addingTimeInterval(Double(sessionLifetime.components.seconds)))
        do {
            try store.deleteSessions(expiredBefore: now)
            try store.createSession(record)
            try store.appendAudit(AuditEvent(actor: "operator:\(account.name)", entityType: "user", entityID: account.name, reason: "signed in"))
        } catch {
            throw OperatorError(error)
        }
        return (token, record)
    }

    /// The account and session behind a cookie's token, while the session lasts.
    public func session(token: String, now: Date = Date()) -> (account: OperatorAccount, session: OperatorSessionRecord)? {
        guard !token.isEmpty, token.count <= 128,
            let record = try? store.session(tokenHash: Self.tokenHash(token)), record.expiresAt > now,
            let account = try? store.user(named: record.userName), account.disabledAt == nil
        else { return nil }
        return (account, record)
    }

    public func endSession(token: String) {
        let hash = Self.tokenHash(token)
        if let record = try? store.session(tokenHash: hash) {
            try? store.deleteSession(tokenHash: hash)
            try? store.appendAudit(AuditEvent(actor: "operator:\(record.userName)", entityType: "user", entityID: record.userName, reason: "signed out"))
        }
    }

    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
    }

    /// 256 random bits, base64url without padding.
    public static func randomToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func tokenHash(_ token: String) -> String {
        SHA256Hex.of(Data(token.utf8))
    }

    /// A hash no password matches, checked for unknown names so they cost the same time.
    private var unknownUserHash: String { "pbkdf2-sha256$\(hasher.rounds)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }
}
