import Engine
import Extract
import FixtureSites
import Foundation
import Store
import Testing

@Suite("Shadow runs and their comparison with the manual process", .serialized)
struct ShadowRunTests {
    @Test("a shadow run enters nothing, writes what it would have entered, and a comparison finds exactly three planted differences")
    func shadowThenCompare() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = harness.options()
        options.shadow = true

        let outcome = try await harness.run(EngineHarness.dailySync, options)

        #expect(outcome.run.state == .needsReview, "\(outcome.run.failure ?? "")")
        #expect(harness.fixtures.ledgerEntries.isEmpty)
        let output = try #require(outcome.artifacts.first { $0.name == "shadow-output.csv" })
        let automation = try ReportReader.read(path: output.path, format: .csv)
        let done = try harness.store.items(runID: outcome.run.id, states: [.done]).map(\.key)
        #expect(automation.records.map { $0["key"] ?? "" }.sorted() == done.sorted())
        #expect(!automation.columns.contains { $0.contains("password") })

        // The manual process: the same entries, but one amount typed differently, one forgotten, one extra.
        var manual = automation.records.map { row in
            ["appointment_id": row["key"] ?? "", "patient_id": row["patient_id"] ?? "", "patient": row["patient"] ?? "", "date": row["date"] ?? "", "amount": row["amount"] ?? ""]
        }
        let forgotten = manual.remove(at: 1)["appointment_id"]!
        let mistyped = manual[2]["appointment_id"]!
        manual[2]["amount"] = "999.99"
        manual[3]["amount"] = (manual[3]["amount"] ?? "") + "0"  // 12.30 and 12.300 are the same amount
        manual.append(["appointment_id": "A-20261122-9999", "patient_id": "P-10001", "patient": "Extra", "date": "2026-11-22", "amount": "1.00"])

        let comparison = ShadowComparison(automation: automation.records, automationKey: "key", manual: manual, manualKey: "appointment_id")

        #expect(comparison.fields == ["amount", "date", "patient", "patient_id"])
        #expect(comparison.differences.map(\.key) == [mistyped])
        #expect(comparison.differences.first?.manual == "999.99")
        #expect(comparison.onlyInAutomation == [forgotten])
        #expect(comparison.onlyInManual == ["A-20261122-9999"])
        #expect(comparison.problemCount == 3)
        #expect(comparison.matching.count == automation.records.count - 2)
        #expect(!comparison.html(title: "<b>x</b>").contains("<b>x</b>"))
    }
}
