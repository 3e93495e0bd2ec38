import Dashboard
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

@Suite("Limits and honesty: big bodies, big values, unknown files, who did it, a run that cannot start")
struct LimitsTests {
    @Test("a 1 MB form is answered 413 with a message, on an action and on the sign-in form")
    func bigBody() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            let huge = String(repeating: "x", count: 1_000_000)
            let action = try await client.post("/items/\(harness.id("A-5"))/override", [("csrf", session.csrf), ("field.amount", huge), ("reason", "r")],
                                               cookie: session.cookie)
            #expect(action.status.code == 413)
            #expect(action.body.contains("larger than"))
            let signIn = try await client.post("/sign-in", [("name", "alice"), ("password", huge)])
            #expect(signIn.status.code == 413)
        }
        #expect(try harness.item("A-5").payload["amount"] == "")
    }

    @Test("an override value over the cap is refused with the cap, and nothing reaches the audit log")
    func overrideCap() async throws {
        let harness = try await DashboardHarness.make()
        let before = try harness.auditCount()
        try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            let big = String(repeating: "9", count: 200_000)
            let page = try await client.post("/items/\(harness.id("A-5"))/override", [("csrf", session.csrf), ("field.amount", big), ("reason", "r")],
                                             cookie: session.cookie)
            #expect(page.status == .badRequest)
            #expect(page.body.contains("at most \(OperatorActions.maximumValueLength)"))
        }
        #expect(try harness.auditCount() == before + 1)  // alice's sign-in only
    }

    @Test("an artifact of a kind this Ferry does not know is sent as an attachment, never rendered")
    func unknownKind() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.store.database.pool.write { db in
            try db.execute(sql: "UPDATE artifacts SET kind = 'rendered_page' WHERE id = ?", arguments: [harness.reportID])
        }
        try await harness.test { client async throws in
            let session = try await client.signIn("victor")
            let file = try await client.get("/artifacts/\(harness.reportID)", cookie: session.cookie)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType]?.hasPrefix("text/html") == false)
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        }
    }

    @Test("each operator row says it came from the dashboard and whose session it was")
    func origin() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            _ = try await client.post("/items/\(harness.id("A-4"))/escalate", [("csrf", session.csrf), ("reason", "odd")], cookie: session.cookie)
            _ = try await client.post("/flows/clinic-daily-sync/pause", [("csrf", session.csrf), ("reason", "maintenance")], cookie: session.cookie)
        }
        let pause = try #require(try harness.store.auditLog(entityType: "flow", entityID: "clinic-daily-sync", limit: 10).last)
        #expect(pause.payload?.contains("\"via\":\"dashboard\"") == true, "\(pause.payload ?? "")")
        let row = try #require(try harness.store.auditLog(entityType: "item", entityID: String(harness.id("A-4")), limit: 10).last)
        #expect(row.actor == "operator:alice")
        #expect(row.payload?.contains("\"via\":\"dashboard\"") == true, "\(row.payload ?? "")")
        #expect(row.payload?.contains("\"session user\":\"alice\"") == true)
    }

    @Test("a retry whose run cannot start tells the operator it failed and why, not that it is starting")
    func failedStart() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            let done = try await client.post("/items/\(harness.id("A-2"))/retry", [("csrf", session.csrf)], cookie: session.cookie)
            #expect(done.status == .seeOther)
            let next = try await client.get(done.location ?? "/", cookie: session.cookie)
            #expect(next.body.contains("could not start"), "\(next.body)")
            #expect(next.body.contains("the test launcher runs nothing"))
            #expect(!next.body.contains("is starting in the background"))
        }
    }
}
