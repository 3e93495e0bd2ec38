import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@Suite("Signing in: sessions in HttpOnly SameSite=Strict cookies, limited attempts, audited")
struct SignInTests {
    @Test("every page sends a visitor without a session to the sign-in page", arguments: ["/", "/activity", "/exceptions", "/runs/run-1", "/items/2", "/trigger"])
    func pagesNeedSignIn(path: String) async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let page = try await client.get(path)
            #expect(page.status == .seeOther)
            #expect(page.location?.hasPrefix("/sign-in?next=") == true)
            #expect(try await client.get("/status.json").status == .unauthorized)
            #expect(try await client.get("/artifacts/\(harness.screenshotID)").status == .seeOther)
        }
    }

    @Test("the right password gives a strict, HttpOnly session cookie (not Secure on loopback); the wrong one does not")
    func signIn() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let form = try await client.get("/sign-in")
            #expect(form.status == .ok)
            #expect(form.body.contains("<form method=\"post\" action=\"/sign-in\""))
            let wrong = try await client.postSignIn("alice", password: "nope-nope-nope")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie]?.hasPrefix("ferry_session=") != true)
            #expect(wrong.body.contains("The user name or the password is wrong."))
            let right = try await client.postSignIn("alice", password: DashboardHarness.password, next: "/exceptions")
            #expect(right.status == .seeOther)
            #expect(right.location == "/exceptions")
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie.hasPrefix("ferry_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            let page = try await client.get("/", cookie: String(cookie.prefix { $0 != ";" }))
            #expect(page.status == .ok)
            #expect(page.body.contains("alice"))
        }
        let rows = try harness.store.auditLog(entityType: "user", entityID: "alice", limit: 10).compactMap(\.reason)
        #expect(rows.contains("sign-in failed"))
        #expect(rows.contains("signed in"))
    }

    @Test("off loopback the cookie is Secure too")
    func secureCookieOffLoopback() async throws {
        let harness = try await DashboardHarness.make { $0.host = "0.0.0.0" }
        try await harness.test { client in
            let right = try await client.postSignIn("alice", password: DashboardHarness.password)
            #expect(right.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("after five failed sign-ins the name is refused, even with the right password")
    func rateLimited() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            for _ in 1...5 {
                #expect(try await client.postSignIn("alice", password: "guess-guess").status == .unauthorized)
            }
            let refused = try await client.postSignIn("alice", password: DashboardHarness.password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.setCookie]?.hasPrefix("ferry_session=") != true)
            // The lock is on alice's name from this address: another name from the same address signs in
            // (a guesser cannot lock everybody out by guessing one name).
            #expect(try await client.postSignIn("ada", password: DashboardHarness.password).status == .seeOther)
        }
    }

    @Test("sign-out needs the CSRF token, and ends the session")
    func signOut() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("alice")
            #expect(try await client.post("/sign-out", [("csrf", "forged")], cookie: session.cookie).status == .forbidden)
            #expect(try await client.get("/", cookie: session.cookie).status == .ok)
            #expect(try await client.post("/sign-out", [("csrf", session.csrf)], cookie: session.cookie).status == .seeOther)
            #expect(try await client.get("/", cookie: session.cookie).status == .seeOther)
        }
    }

    @Test("a sign-in never redirects to another site")
    func noOpenRedirect() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                let right = try await client.postSignIn("alice", password: DashboardHarness.password, next: next)
                #expect(right.location == "/")
            }
        }
    }

    @Test("only an admin sees and uses the users page; the new user can sign in; the audit row names the admin")
    func users() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let alice = try await client.signIn("alice")
            #expect(try await client.get("/users", cookie: alice.cookie).status == .forbidden)
            let refused = try await client.post("/users", [("csrf", alice.csrf), ("name", "mallory"), ("role", "admin"), ("password", "long-enough-pw")],
                                                cookie: alice.cookie)
            #expect(refused.status == .forbidden)
            #expect(try harness.store.user(named: "mallory") == nil)

            let ada = try await client.signIn("ada")
            let page = try await client.get("/users", cookie: ada.cookie)
            #expect(page.status == .ok)
            #expect(page.body.contains("victor"))
            #expect(!page.body.contains("pbkdf2"))
            #expect(try await client.post("/users", [("name", "bob"), ("role", "viewer"), ("password", "long-enough-pw")], cookie: ada.cookie).status == .forbidden)
            let short = try await client.post("/users", [("csrf", ada.csrf), ("name", "bob"), ("role", "viewer"), ("password", "short")], cookie: ada.cookie)
            #expect(short.status == .badRequest)
            let saved = try await client.post("/users", [("csrf", ada.csrf), ("name", "bob"), ("role", "viewer"), ("password", "long-enough-pw")],
                                              cookie: ada.cookie)
            #expect(saved.status == .seeOther)
            #expect(try await client.postSignIn("bob", password: "long-enough-pw").status == .seeOther)
        }
        #expect(try harness.store.user(named: "bob")?.role == .viewer)
        #expect(try harness.store.auditLog(entityType: "user", entityID: "bob", limit: 5).first?.actor == "operator:ada")
    }
}
