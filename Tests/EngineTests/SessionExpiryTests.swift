import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// Issue 14, problem 4: a session that expires in the middle of a per-item stage. Ferry must notice
/// (however the target shows it), log in again, and go back to the page the failed step was on.
@Suite("Session expiry in the middle of a stage, in real Chromium", .serialized)
struct SessionExpiryTests {
    static let records = (1...4).map { String(format: "A-20261120-%04d", $0) }

    /// Writes the records the flows look up, and the options that point the flows at them.
    static func options(_ harness: EngineHarness) throws -> RunOptions {
        let path = harness.folder + "/records.csv"
        try (["record_id"] + records).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString, "records": path]
        return options
    }

    @Test("problem 4: the login form comes back at the page's own URL with HTTP 200; 'expired_when' names it and every item completes")
    func loginInPlace() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let options = try Self.options(harness)
        let flow = EngineHarness.testFlow("ledger-lookup-in-place.yaml")

        // Without 'expired_when', nothing in the URL or the status says the session ended: items fail.
        let undeclared = harness.folder + "/ledger-lookup-undeclared.yaml"
        let text = try String(contentsOfFile: flow, encoding: .utf8)
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("expired_when:") }
            .joined(separator: "\n").write(toFile: undeclared, atomically: true, encoding: .utf8)
        harness.fixtures.setFaults(FixtureFaults(sessionExpiryAfter: 3, loginInPlace: true), site: .ledger)
        let unnoticed = try await harness.run(undeclared, options)
        #expect(try harness.store.items(runID: unnoticed.run.id, states: [.error]).count > 0)

        harness.fixtures.setFaults(FixtureFaults(sessionExpiryAfter: 3, loginInPlace: true), site: .ledger)
        let outcome = try await harness.run(flow, options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let done = try harness.store.items(runID: outcome.run.id, states: [.done])
        #expect(done.map(\.key).sorted() == Self.records)
        let relogins = try harness.store.auditLog(entityType: "stage", entityID: "\(outcome.run.id)/ledger_login", limit: 50)
        #expect(relogins.contains { $0.reason?.contains("the session expired at stage 'look_up'") == true })
    }

    @Test("problem 4: the login lands on the home page; the run goes back to the step's page, reached by clicks, and every item completes")
    func loginLandsHome() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let options = try Self.options(harness)
        // Each item asks two pages (the list, then its filtered list): the fourth authenticated request
        // after each login is the Find button's, so the session ends between the click and the check.
        harness.fixtures.setFaults(FixtureFaults(sessionExpiryAfter: 4, loginGoesHome: true), site: .ledger)

        let outcome = try await harness.run(EngineHarness.testFlow("ledger-lookup.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let done = try harness.store.items(runID: outcome.run.id, states: [.done])
        #expect(done.map(\.key).sorted() == Self.records)
        let returns = try Self.records.flatMap { key in
            try harness.store.auditLog(entityType: "stage", entityID: "\(outcome.run.id)/look_up@\(key)", limit: 20)
        }
        #expect(returns.contains { $0.reason?.contains("going on from step 1, which leads back to the page of step 4") == true })
    }
}
