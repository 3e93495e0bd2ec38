import Dashboard
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

@Suite("Sign-in under attack: throttled per name and address in the store, lifted by an admin, CSRF-proof, same-origin only")
struct SignInThrottleTests {
    static func failures(_ harness: DashboardHarness, _ name: String) throws -> Int {
        try harness.store.auditLog(entityType: "user", entityID: name, limit: 10_000).filter { $0.reason == "sign-in failed" }.count
    }

    @Test("20 parallel guesses: only 5 reach the password check, the rest get 429")
    func parallelGuesses() async throws {
        let harness = try await DashboardHarness.make()
        let statuses = try await harness.test { client async throws in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 1...20 {
                    group.addTask { try await client.postSignIn("alice", password: "guess-\(index)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.filter { $0 == .unauthorized }.count == 5, "\(statuses)")
        #expect(statuses.filter { $0 == .tooManyRequests }.count == 15)
        #expect(try Self.failures(harness, "alice") == 5)
    }

    @Test("refusals while locked are counted in one audit row, not one row each")
    func aggregatedRefusals() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            for _ in 1...5 { _ = try await client.postSignIn("alice", password: "wrong-wrong") }
            let before = try harness.auditCount()
            for _ in 1...40 { #expect(try await client.postSignIn("alice", password: "wrong-wrong").status == .tooManyRequests) }
            #expect(try harness.auditCount() - before <= 1)
        }
    }

    @Test("a lock on one name does not lock out another name from the same address; an admin lifts it on the users page")
    func adminUnlock() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            for _ in 1...6 { _ = try await client.postSignIn("alice", password: "wrong-wrong") }
            #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .tooManyRequests)
            let ada = try await client.signIn("ada")
            let users = try await client.get("/users", cookie: ada.cookie)
            #expect(users.body.contains("/users/alice/unlock"))
            #expect(try await client.post("/users/alice/unlock", [("csrf", ada.csrf)], cookie: ada.cookie).status == .seeOther)
            #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .seeOther)
        }
        let unlock = try #require(try harness.store.auditLog(entityType: "user", entityID: "alice", limit: 100).last { $0.toState == "unlocked" })
        #expect(unlock.actor == "operator:ada")
        #expect(unlock.reason?.contains("refused while locked") == true)
    }

    @Test("the lock is kept in the store: a restarted dashboard still refuses")
    func survivesRestart() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            for _ in 1...5 { _ = try await client.postSignIn("alice", password: "wrong-wrong") }
        }
        let restarted = try await Dashboard.make(store: harness.store, configuration: harness.dashboard.configuration, hasher: PasswordHasher(rounds: 1_000))
        let app = Application(router: restarted.makeRouter())
        try await app.test(.router) { raw async throws in
            let client = DashboardClient(client: raw)
            #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .tooManyRequests)
        }
    }

    @Test("the sign-in form carries a token: a post without it (login CSRF) is refused and signs nobody in")
    func loginCSRF() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let forged = try await client.post("/sign-in", [("name", "alice"), ("password", DashboardHarness.password)])
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.setCookie]?.hasPrefix("ferry_session=") != true)
            let wrongToken = try await client.post("/sign-in", [("name", "alice"), ("password", DashboardHarness.password), ("csrf", "x")],
                                                   cookie: "ferry_sign_in=abcdefghijklmnopqrstuvwxyz")
            #expect(wrongToken.status == .forbidden)
        }
    }

    @Test("next is a path on this site only: tabs, line breaks, backslashes and other hosts fall back to /",
          arguments: ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "//evil.example/", "https://evil.example/", "/\\evil.example",
                      "/ /evil.example", "/\u{0}/evil.example", "/\u{3000}/evil.example"])
    func sameOriginNext(next: String) async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let right = try await client.postSignIn("alice", password: DashboardHarness.password, next: next)
            #expect(right.status == .seeOther)
            #expect(right.location == "/")
        }
    }

    @Test("signing in again and again keeps at most 10 sessions for the user")
    func sessionsBounded() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            for _ in 1...15 { #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .seeOther) }
        }
        let count = try await harness.store.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM operator_sessions WHERE user_name = 'alice'") }
        #expect(count == 10)
    }

    @Test("the password check runs in a bounded pool: beyond its width and queue, a check is turned away, not queued")
    func boundedPool() async throws {
        let pool = PasswordCheckPool(width: 1, queueLimit: 0)
        let gate = Gate()
        let started = Gate()
        async let first: Int? = pool.run {
            started.open()
            gate.wait()
            return 1
        }
        await Task.detached { started.wait() }.value
        let second = await pool.run { 2 }
        gate.open()
        #expect(await first == 1)
        #expect(second == nil)
        #expect(await pool.run { 3 } == 3)
    }
}

/// A latch a blocking closure waits on.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait() }
    func open() { semaphore.signal() }
}
