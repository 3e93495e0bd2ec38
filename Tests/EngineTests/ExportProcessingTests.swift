import Engine
import Foundation
import Store
import Testing

/// Exports as real systems write them (fixtures/exports): times with a time of day, join keys named
/// differently on each side, a status on both sides. No browser is needed.
@Suite("Processing a real export", .serialized)
struct ExportProcessingTests {
    let harness: EngineHarness
    static let exports = EngineHarness.repository.appendingPathComponent("fixtures/exports").path

    init() async throws {
        harness = try await EngineHarness()
    }

    private func run(_ flow: String, inputs: [String: String] = ["exports": ExportProcessingTests.exports]) async throws -> RunOutcome {
        var options = harness.options()
        options.inputs = inputs
        return try await harness.run(flow, options)
    }

    @Test("datetime, a join on appointment = id with the visit's status prefixed, where after the join, reshape and write with where")
    func joinedExport() async throws {
        defer { Task { await harness.stop() } }
        let outcome = try await run(EngineHarness.testFlow("export-join.yaml"))
        #expect(outcome.run.failure == nil)
        #expect(outcome.run.state == .needsReview)

        // The invoice of an attended visit is an item with both statuses; the void one and the one of
        // a cancelled visit are filtered out after the join; the one whose visit is missing is asked about.
        let items = try harness.store.items(runID: outcome.run.id, states: [])
        #expect(items.map(\.key).sorted() == ["I-10", "I-13"])
        let billed = try #require(items.first { $0.key == "I-10" })
        #expect(billed.state == .new)
        #expect(billed.payload["status"] == "open")
        #expect(billed.payload["visit_status"] == "attended")
        #expect(billed.payload["patient"] == "Ada Lovelace")
        #expect(billed.payload["start"] == "2024-01-08T08:00:00+01:00")
        let orphan = try #require(items.first { $0.key == "I-13" })
        #expect(orphan.state == .needsReview)
        #expect(orphan.lastError?.contains("Invoice I-13 names appointment A-9, which is not in the visits") == true)

        // Renamed, computed, filtered and written, without a file read back in between.
        let written = try #require(harness.allFiles().first { $0.hasSuffix("/attended.csv") })
        let csv = try String(contentsOfFile: written, encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline) == [
            "appointment_id,patient,day,time", "A-1,Ada Lovelace,08.01.2024,08:00", "A-2,Alan Turing,08.01.2024,09:30",
            "A-4,Edsger Dijkstra,08.01.2024,14:15",
        ])
    }

    @Test("a file read from a literal absolute path, its one record's fields in templates, and a gate on a captured figure")
    func absolutePathAndFigures() async throws {
        defer { Task { await harness.stop() } }
        let flow = harness.folder + "/figures.yaml"
        try """
            flow: export-figures
            description: Count the visits against the figure the export's page showed.
            stages:
              - name: check
                steps:
                  - read: { file: \(Self.exports)/visits.csv, as: csv, into: visits, columns: [id, patient, start, status] }
                  - reshape: { records: visits, into: first_visit, where: row.id == 'A-1', keep: [patient] }
                  - set: { shown: "(4 total)", first_patient: "${vars.first_visit.patient}" }
                  - reconcile:
                      - name: all_exported
                        figure: { count: visits }
                        equals: { value: shown }
                  - set: { shown_later: "(5 total)" }
                  - reconcile:
                      - name: still_all_exported
                        figure: { count: visits }
                        equals: { value: shown_later }
            """.write(toFile: flow, atomically: true, encoding: .utf8)
        let outcome = try await run(flow, inputs: [:])
        #expect(outcome.run.state == .failed)
        let variables = try harness.store.variables(runID: outcome.run.id)
        #expect(variables["first_patient"] == "Ada Lovelace")
        #expect(variables["reconcile.all_exported"] == "4")
        #expect(outcome.run.failure?.contains("gate 'still_all_exported': count of visits = 4, but vars.shown_later = 5 (difference -1)") == true)
    }
}
