import Engine
import Foundation
import Store
import Testing

/// Gates that compare a run with the last completed one; no browser is needed for a flow that only reads files.
@Suite("Reconciliation against the last completed run", .serialized)
struct ReconciliationTests {
    let harness: EngineHarness

    init() async throws {
        harness = try await EngineHarness()
    }

    private func payments(_ amounts: [String], name: String) throws -> String {
        let path = harness.folder + "/\(name).csv"
        var csv = "id;amount;paid_on\r\n"
        for (index, amount) in amounts.enumerated() { csv += "\(index + 1);\"\(amount)\";0\(index % 9 + 1).11.2026\r\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func run(_ file: String) async throws -> RunOutcome {
        var options = harness.options()
        options.inputs = ["file": file]
        return try await harness.run(EngineHarness.testFlow("volume-gate.yaml"), options)
    }

    private func figures(_ entry: AuditEntry) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data((entry.payload ?? "{}").utf8))
    }

    @Test("every step is recorded started, then completed, in order, the last step's completion too")
    func stepCheckpoints() async throws {
        defer { Task { await harness.stop() } }
        let outcome = try await run(payments(Array(repeating: "1.000,00 €", count: 3), name: "steps"))
        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let steps = try harness.store.checkpoints(runID: outcome.run.id).filter { $0.step != nil }
        #expect(steps.map(\.step) == [0, 1, 2])
        #expect(steps.allSatisfy { $0.state == .completed })
        let transitions = try harness.store.auditLog(runID: outcome.run.id).filter { $0.entityType == "step" && $0.toState != nil }.map { "\($0.entityID.split(separator: "/").last ?? "") \($0.toState ?? "")" }
        #expect(transitions == ["1 started", "1 completed", "2 started", "2 completed", "3 started", "3 completed"])
    }

    @Test("the first run has nothing to compare with and passes; a run within the margin passes; one outside it stops with both figures")
    func withinPercentOfLastRun() async throws {
        defer { Task { await harness.stop() } }
        let first = try await run(payments(Array(repeating: "1.000,00 €", count: 10), name: "day1"))
        #expect(first.run.state == .succeeded, "\(first.run.failure ?? "")")
        let firstGate = try #require(try harness.store.auditLog(entityType: "gate", entityID: "\(first.run.id)/takings", limit: 1).first)
        #expect(firstGate.reason?.contains("no earlier completed run") == true)
        #expect(try figures(firstGate)["figure"] == "10000.00")

        let second = try await run(payments(Array(repeating: "EUR 1,000.00", count: 11), name: "day2"))
        #expect(second.run.state == .succeeded, "\(second.run.failure ?? "")")

        let third = try await run(payments(Array(repeating: "1000", count: 5), name: "day3"))
        #expect(third.run.state == .failed)
        let failure = third.run.failure ?? ""
        #expect(failure.contains("2 reconciliation gates failed"))
        #expect(failure.contains("gate 'volume' (about as many payments as last time): count of payments = 5; the last completed run \(second.run.id) had 11: -54.5%, allowed ±20%"))
        #expect(failure.contains("sum of payments.amount = 5000.00; the last completed run \(second.run.id) had 11000.00: -54.5%"))
        let gate = try #require(try harness.store.auditLog(entityType: "gate", entityID: "\(third.run.id)/volume", limit: 1).first)
        #expect(gate.toState == "failed")
        #expect(try figures(gate)["last completed run \(second.run.id)"] == "11")
        // A failed run is no baseline: the next run still compares with the second.
        let fourth = try await run(payments(Array(repeating: "1000.00", count: 12), name: "day4"))
        #expect(fourth.run.state == .succeeded, "\(fourth.run.failure ?? "")")
        let volume = try #require(try harness.store.auditLog(entityType: "gate", entityID: "\(fourth.run.id)/volume", limit: 1).first)
        #expect(volume.reason?.contains(second.run.id) == true)
    }

    @Test("a value that is not money stops the run with the record, the field and the value")
    func invalidValueFails() async throws {
        defer { Task { await harness.stop() } }
        let outcome = try await run(payments(["12.00", "twelve", "3,50"], name: "bad"))
        #expect(outcome.run.state == .failed)
        #expect(outcome.run.failure?.contains("record 2 of 'payments' does not fit: amount 'twelve' is not an amount of money") == true)
        #expect(outcome.run.failure?.contains("volume-gate.yaml:") == true)
    }
}
