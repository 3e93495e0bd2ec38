import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

@Suite("Actions over HTTP: refused without a session, a CSRF token, the role or a reason; audited when done")
struct ActionRouteTests {
    /// Every action route with a valid form (the CSRF token is added by the test).
    static func routes(_ harness: DashboardHarness) -> [(String, [(String, String)])] {
        [
            ("/items/\(harness.id("A-2"))/retry", []),
            ("/items/\(harness.id("A-5"))/override", [("field.amount", "20.00"), ("reason", "confirmed by phone")]),
            ("/items/\(harness.id("A-3"))/mark-done", [("reason", "entered by hand")]),
            ("/items/\(harness.id("A-4"))/escalate", [("reason", "name looks wrong")]),
            ("/runs/run-1/retry", []),
            ("/flows/clinic-daily-sync/pause", [("reason", "maintenance")]),
            ("/flows/clinic-daily-sync/resume", []),
            ("/trigger", [("flow", "clinic-daily-sync.yaml"), ("inputs", "date=2026-11-20")]),
        ]
    }

    @Test("without a session, every action is refused with 401 and nothing changes")
    func noSession() async throws {
        let harness = try await DashboardHarness.make()
        let before = try harness.auditCount()
        try await harness.test { client in
            let session = try await client.signIn("alice")
            for (path, fields) in Self.routes(harness) {
                let response = try await client.post(path, fields + [("csrf", session.csrf)])
                #expect(response.status == .unauthorized, "\(path)")
            }
        }
        // Only alice's own sign-in row was added.
        #expect(try harness.auditCount() == before + 1)
        #expect(try harness.item("A-2").state == .needsReview)
        #expect(harness.launcher.followUps.isEmpty)
    }

    @Test("without the CSRF token, or with another session's, every action is refused with 403")
    func noCSRF() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let alice = try await client.signIn("alice")
            let ada = try await client.signIn("ada")
            let before = try harness.auditCount()
            for (path, fields) in Self.routes(harness) {
                #expect(try await client.post(path, fields, cookie: alice.cookie).status == .forbidden, "\(path)")
                #expect(try await client.post(path, fields + [("csrf", ada.csrf)], cookie: alice.cookie).status == .forbidden, "\(path)")
            }
            #expect(try harness.auditCount() == before)
        }
        #expect(try harness.item("A-2").state == .needsReview)
        #expect(try harness.item("A-3").state == .error)
    }

    @Test("a viewer is refused every action with 403, and nothing is written")
    func viewerRefused() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let victor = try await client.signIn("victor")
            let before = try harness.auditCount()
            for (path, fields) in Self.routes(harness) {
                let response = try await client.post(path, fields + [("csrf", victor.csrf)], cookie: victor.cookie)
                #expect(response.status == .forbidden, "\(path)")
            }
            #expect(try harness.auditCount() == before)
        }
        #expect(try harness.store.schedules().isEmpty)
    }

    @Test("override, mark done and escalate without a reason are refused with 400")
    func reasonRequired() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let alice = try await client.signIn("alice")
            let before = try harness.auditCount()
            for path in ["/items/\(harness.id("A-2"))/override", "/items/\(harness.id("A-3"))/mark-done", "/items/\(harness.id("A-4"))/escalate"] {
                let response = try await client.post(path, [("csrf", alice.csrf), ("reason", "  ")], cookie: alice.cookie)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.body.contains("needs a reason"))
            }
            #expect(try harness.auditCount() == before)
        }
    }

    @Test("an operator's actions are done, redirect back with a notice, and each writes its audit row with name and reason")
    func allowed() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let alice = try await client.signIn("alice")
            for (path, fields) in Self.routes(harness) {
                let response = try await client.post(path, fields + [("csrf", alice.csrf)], cookie: alice.cookie)
                #expect(response.status == .seeOther, "\(path): \(response.body)")
            }
            let notice = try await client.get("/", cookie: alice.cookie)
            #expect(notice.body.contains("class=\"notice"))
        }
        await harness.dashboard.waitForLaunches()
        let itemRows = { (key: String) in try harness.store.auditLog(entityType: "item", entityID: String(harness.id(key)), limit: 100) }
        #expect(try itemRows("A-2").filter { $0.actor == "operator:alice" }.map(\.reason) == ["retry"])
        #expect(try harness.item("A-2").state == .new)
        #expect(try itemRows("A-5").last?.reason == "override: confirmed by phone")
        #expect(try itemRows("A-5").last?.actor == "operator:alice")
        #expect(try harness.item("A-5").payload["amount"] == "20.00")
        #expect(try itemRows("A-3").last?.reason == "marked done: entered by hand")
        #expect(try harness.item("A-3").state == .done)
        #expect(try itemRows("A-4").last?.reason == "escalated: name looks wrong")
        #expect(try harness.item("A-4").state == .needsReview)
        let runRow = try harness.store.auditLog(entityType: "run", entityID: "run-1", limit: 10).last
        #expect(runRow?.actor == "operator:alice")
        let flowRows = try harness.store.auditLog(entityType: "flow", entityID: "clinic-daily-sync", limit: 10)
        #expect(flowRows.map(\.actor) == ["operator:alice", "operator:alice", "operator:alice", "operator:alice"])
        // The test launcher runs nothing: the trigger's run could not start, and that is recorded too.
        #expect(flowRows.map(\.reason) == ["maintenance", "schedule resumed", "run triggered now",
                                            "the run after trigger could not start: the test launcher runs nothing"])
        #expect(try harness.store.schedules().first?.paused == false)
        // Retry, override and the run's retry asked for the run to resume; the trigger for a new run.
        let followUps = harness.launcher.followUps
        #expect(followUps.filter { $0 == .resumeRun("run-1") }.count == 3)
        #expect(followUps.contains(.startFlow(path: harness.folder + "/flows/clinic-daily-sync.yaml", inputs: ["date": "2026-11-20"])))
        #expect(try harness.store.verifyAuditLog().isIntact)
    }

    @Test("an action on an item in the wrong state is refused with 409 and says why")
    func wrongState() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let alice = try await client.signIn("alice")
            let response = try await client.post("/items/\(harness.id("A-1"))/retry", [("csrf", alice.csrf)], cookie: alice.cookie)
            #expect(response.status == .conflict)
            #expect(response.body.contains("is done"))
            let unknownFlow = try await client.post("/trigger", [("csrf", alice.csrf), ("flow", "../../etc/passwd")], cookie: alice.cookie)
            #expect(unknownFlow.status == .notFound)
        }
    }
}
