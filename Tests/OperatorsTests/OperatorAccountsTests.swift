import Foundation
import Operators
import Store
import Testing

@Suite("Operator accounts: salted slow hashes, sessions by hashed token")
struct OperatorAccountsTests {
    @Test("a password hash is salted and verifies only the right password")
    func hashes() throws {
        let hasher = OperatorsFixture.hasher
        let first = try hasher.hash("correct horse battery")
        let second = try hasher.hash("correct horse battery")
        #expect(first != second)
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(hasher.verify("correct horse battery", against: first))
        #expect(!hasher.verify("correct horse battery!", against: first))
        #expect(!hasher.verify("correct horse battery", against: "pbkdf2-sha256$x$y$z"))
        #expect(!hasher.verify("", against: ""))
    }

    @Test("the default hash is PBKDF2-SHA256 with 600,000 rounds")
    func defaultRounds() throws {
        #expect(PasswordHasher().rounds == 600_000)
    }

    @Test("users are stored with a hash, never the password; short passwords and odd names are refused")
    func addUser() throws {
        let fixture = try OperatorsFixture()
        let accounts = OperatorAccounts(store: fixture.store, hasher: OperatorsFixture.hasher)
        try accounts.addUser(name: "alice", role: .operator, password: "s3cret-Pa55word", by: "cli:root")
        #expect(try fixture.store.user(named: "alice")?.role == .operator)
        #expect(accounts.authenticate(name: "alice", password: "s3cret-Pa55word")?.name == "alice")
        #expect(accounts.authenticate(name: "alice", password: "wrong-password") == nil)
        #expect(accounts.authenticate(name: "nobody", password: "s3cret-Pa55word") == nil)
        #expect(throws: OperatorError.self) { try accounts.addUser(name: "bob", role: .viewer, password: "short", by: "cli:root") }
        #expect(throws: OperatorError.self) { try accounts.addUser(name: "<b>", role: .viewer, password: "long enough password", by: "cli:root") }
        // Neither the password nor its hash is in the audit log; the store file has no plain password.
        let audit = try fixture.store.auditLog(entityType: "user", entityID: "alice", limit: 10)
        #expect(audit.first?.reason == "user added")
        #expect(!audit.contains { ($0.payload ?? "").contains("pbkdf2") || ($0.reason ?? "").contains("s3cret") })
        for file in ["ferry.db", "ferry.db-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/" + file))) ?? Data()
            #expect(bytes.range(of: Data("s3cret-Pa55word".utf8)) == nil)
        }
    }

    @Test("a session is found by its token until it ends; the store keeps only the token's hash")
    func sessions() throws {
        let fixture = try OperatorsFixture()
        let accounts = OperatorAccounts(store: fixture.store, hasher: OperatorsFixture.hasher)
        try accounts.addUser(name: "alice", role: .admin, password: "s3cret-Pa55word", by: "cli:root")
        let account = try #require(accounts.authenticate(name: "alice", password: "s3cret-Pa55word"))
        let started = try accounts.startSession(for: account)
        #expect(started.session.tokenHash != started.token)
        #expect(try fixture.store.session(tokenHash: started.token) == nil)
        #expect(accounts.session(token: started.token)?.account.role == .admin)
        #expect(accounts.session(token: started.token + "x") == nil)
        #expect(accounts.session(token: started.token, now: Date().addingTimeInterval(13 * 3600)) == nil)
        accounts.endSession(token: started.token)
        #expect(accounts.session(token: started.token) == nil)
    }
}
