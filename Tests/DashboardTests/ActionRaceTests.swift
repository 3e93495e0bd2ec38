import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

@Suite("Operator actions cannot race: each is a compare-and-set, the loser gets 409 naming the state")
struct ActionRaceTests {
    @Test("20 parallel mark-done posts on one item: exactly one is done, the others get 409 and write nothing")
    func parallelMarkDone() async throws {
        let harness = try await DashboardHarness.make()
        let id = harness.id("A-2")
        let before = try harness.store.auditLog(entityType: "item", entityID: String(id), limit: 100).count
        let statuses = try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            return try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 1...20 {
                    group.addTask {
                        try await client.post("/items/\(id)/mark-done", [("csrf", session.csrf), ("reason", "entered by hand")], cookie: session.cookie).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.filter { $0 == .seeOther }.count == 1)
        #expect(statuses.filter { $0 == .conflict }.count == 19)
        let rows = try harness.store.auditLog(entityType: "item", entityID: String(id), limit: 100).dropFirst(before)
        #expect(rows.map { "\($0.fromState ?? "")→\($0.toState ?? "")" } == ["needs_review→done"])
        #expect(try harness.store.verifyAuditLog().isIntact)
    }

    @Test("override and mark-done at once: one wins, no done→done or new→new row")
    func overrideAgainstMarkDone() async throws {
        for _ in 1...5 {
            let harness = try await DashboardHarness.make()
            let id = harness.id("A-5")
            let statuses = try await harness.test { client async throws in
                let session = try await client.signIn("alice")
                return try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for index in 1...10 {
                        group.addTask {
                            index % 2 == 0
                                ? try await client.post("/items/\(id)/override", [("csrf", session.csrf), ("field.amount", "20.00"), ("reason", "phone")],
                                                        cookie: session.cookie).status
                                : try await client.post("/items/\(id)/mark-done", [("csrf", session.csrf), ("reason", "by hand")], cookie: session.cookie).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            let rows = try harness.store.auditLog(entityType: "item", entityID: String(id), limit: 100).filter { $0.actor == "operator:alice" }
            let changes = rows.map { "\($0.fromState ?? "")→\($0.toState ?? "")" }
            #expect(!changes.contains("done→done") && !changes.contains("new→new"), "\(changes)")
            // needs_review→new (override) then new→done is a legal sequence; anything from done is not.
            #expect(!changes.contains { $0.hasPrefix("done→") }, "\(changes)")
            #expect(statuses.allSatisfy { $0 == .seeOther || $0 == .conflict })
        }
    }

    @Test("the refusal names the item's current state")
    func conflictMessage() async throws {
        let harness = try await DashboardHarness.make()
        let id = harness.id("A-2")
        try await harness.test { client async throws in
            let session = try await client.signIn("alice")
            #expect(try await client.post("/items/\(id)/mark-done", [("csrf", session.csrf), ("reason", "first")], cookie: session.cookie).status == .seeOther)
            let second = try await client.post("/items/\(id)/retry", [("csrf", session.csrf)], cookie: session.cookie)
            #expect(second.status == .conflict)
            #expect(second.body.contains("is done now"))
        }
    }
}
