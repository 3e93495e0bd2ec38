import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

@Suite("Accounts: a new password or role, disabling or deleting a user ends their sessions; all audited")
struct AccountTests {
    @Test("setting a user's password or role ends the sessions they already have", arguments: ["operator", "viewer"])
    func changeEndsSessions(role: String) async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let alice = try await client.signIn("alice")
            #expect(try await client.get("/", cookie: alice.cookie).status == .ok)
            let ada = try await client.signIn("ada")
            let saved = try await client.post("/users", [("csrf", ada.csrf), ("name", "alice"), ("role", role), ("password", "a-new-password-2")],
                                              cookie: ada.cookie)
            #expect(saved.status == .seeOther)
            #expect(try await client.get("/", cookie: alice.cookie).status == .seeOther, "the old session still works")
            #expect(try await client.postSignIn("alice", password: "a-new-password-2").status == .seeOther)
        }
    }

    @Test("an admin disables a user: their session ends, they cannot sign in; enabled again, they can")
    func disable() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let alice = try await client.signIn("alice")
            let ada = try await client.signIn("ada")
            #expect(try await client.post("/users/alice/disable", [("csrf", ada.csrf)], cookie: ada.cookie).status == .seeOther)
            #expect(try await client.get("/", cookie: alice.cookie).status == .seeOther)
            #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .unauthorized)
            #expect(try await client.post("/users/alice/enable", [("csrf", ada.csrf)], cookie: ada.cookie).status == .seeOther)
            #expect(try await client.postSignIn("alice", password: DashboardHarness.password).status == .seeOther)
            // Not without the token, and not by an operator.
            let victor = try await client.signIn("victor")
            #expect(try await client.post("/users/ada/disable", [("csrf", victor.csrf)], cookie: victor.cookie).status == .forbidden)
            #expect(try await client.post("/users/alice/disable", [], cookie: ada.cookie).status == .forbidden)
        }
        let rows = try harness.store.auditLog(entityType: "user", entityID: "alice", limit: 100)
        #expect(rows.contains { $0.toState == "disabled" && $0.actor == "operator:ada" })
        #expect(rows.contains { $0.toState == "active" && $0.actor == "operator:ada" })
    }

    @Test("an admin deletes a user: gone, signed out, audited; an admin cannot delete themself")
    func delete() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let victor = try await client.signIn("victor")
            let ada = try await client.signIn("ada")
            #expect(try await client.post("/users/victor/delete", [("csrf", ada.csrf)], cookie: ada.cookie).status == .seeOther)
            #expect(try await client.get("/", cookie: victor.cookie).status == .seeOther)
            #expect(try await client.post("/users/ada/delete", [("csrf", ada.csrf)], cookie: ada.cookie).status == .badRequest)
        }
        #expect(try harness.store.user(named: "victor") == nil)
        #expect(try harness.store.auditLog(entityType: "user", entityID: "victor", limit: 100).last?.toState == "deleted")
    }
}
