import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// Issue 16, "Acting on the page": the lab pages behave as the off-the-shelf applications Ferry was
/// tried on did (a fixed console bar, a loading mask, a grid paged and refreshed by AJAX or a POST,
/// a header repeated every 100 rows, a form built by script), and flows written plainly work on them.
@Suite("Pages as they really are, in real Chromium", .serialized)
struct RealPagesTests {
    /// Runs a lab flow (optionally edited) with the lab's address and the given inputs.
    static func run(
        _ harness: EngineHarness, _ name: String, inputs: [String: String] = [:], edit: (String) -> String = { $0 }
    ) async throws -> RunOutcome {
        let flow = harness.folder + "/" + name
        try edit(try String(contentsOfFile: EngineHarness.testFlow(name), encoding: .utf8)).write(toFile: flow, atomically: true, encoding: .utf8)
        var options = harness.options()
        options.inputs = ["lab": harness.sites.clinic.absoluteString].merging(inputs) { $1 }
        return try await harness.run(flow, options)
    }

    /// The CSV a run's `write` step left in its folder, as rows of fields.
    static func written(_ harness: EngineHarness, _ outcome: RunOutcome, _ file: String = "rows.csv") throws -> [[String]] {
        let path = try #require(harness.allFiles().first { $0.hasSuffix("/" + file) && $0.contains(outcome.run.id) }, "no \(file) from \(outcome.run.failure ?? "")")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: Clicks that land

    @Test("a button the fixed console bar covers once scrolled into view is ticked, clicked and submitted")
    func fixedBar() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let report = harness.folder + "/report.csv"
        try "id\n1\n".write(toFile: report, atomically: true, encoding: .utf8)

        let outcome = try await Self.run(harness, "lab-console-bar.yaml", inputs: ["report": report])

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
    }

    @Test("a loading mask over the page is waited out within the step's time")
    func loadingMask() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let report = harness.folder + "/report.csv"
        try "id\n1\n".write(toFile: report, atomically: true, encoding: .utf8)

        let outcome = try await Self.run(harness, "lab-console-bar.yaml", inputs: ["report": report, "mask": "1500"])

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
    }

    @Test("a click that never lands names the step's selector and the element in the way, once")
    func coveredForGood() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-overlay.yaml")

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("overlay.covered"), "\(failure)")
        #expect(failure.contains(#"<div id="cookie-banner">"#), "\(failure)")
        #expect(failure.contains("This portal uses cookies"), "\(failure)")
        #expect(failure.contains("force: true"), "\(failure)")
        #expect(!failure.contains("element click intercepted: element click intercepted"), "\(failure)")
    }

    @Test("force: true clicks by script through what covers the button")
    func forcedClick() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-overlay.yaml") {
            $0.replacingOccurrences(of: "      - click: overlay.covered\n", with: "      - click: { on: overlay.covered, force: true }\n")
        }

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
    }

    // MARK: Waits that fit

    @Test("attached, a count of rows, a script handed an element by key, and the flow's window size")
    func waitsBeyondVisible() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-waits.yaml")
        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")

        // A selected <option> is never "visible": waiting for that would time out.
        let visible = try await Self.run(harness, "lab-waits.yaml") {
            $0.replacingOccurrences(of: "wait: { attached: form.chosen }", with: "wait: { visible: form.chosen }")
                .replacingOccurrences(of: "timeout: 5s", with: "timeout: 1s")
        }
        #expect(visible.run.state == .failed)

        let tooMany = try await Self.run(harness, "lab-waits.yaml") {
            $0.replacingOccurrences(of: "at_least: 300", with: "at_least: 600").replacingOccurrences(of: "timeout: 5s", with: "timeout: 2s")
        }
        #expect(tooMany.run.state == .failed)
        #expect(tooMany.run.failure?.contains("expected at least 600 of 'delayed.rows'") == true, "\(tooMany.run.failure ?? "")")
        #expect(tooMany.run.failure?.contains("500 matched") == true, "\(tooMany.run.failure ?? "")")
    }

    @Test("after a refresh by AJAX, 'quiet' waits for the request and the new rows before the extract reads them")
    func quietAfterRefresh() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-grid-refresh.yaml")

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let rows = try Self.written(harness, outcome)
        #expect(rows.count == 20)
        #expect(rows.allSatisfy { $0.last == "updated" }, "\(rows.prefix(3))")
    }

    // MARK: Data a real export needs

    @Test("pagination by a button that reloads the grid in place reads every record once", arguments: ["#ajax-next", "#post-next"])
    func paginationByButton(next: String) async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-grid.yaml", inputs: ["next": next])

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let records = try Self.written(harness, outcome).map { $0[0] }
        #expect(records == (1...230).map { String(format: "G-%04d", $0) })
    }

    @Test("a header repeated every 100 rows and decorated by the page's script is not a record")
    func repeatedHeaders() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await Self.run(harness, "lab-long-table.yaml")

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let ids = try Self.written(harness, outcome).map { $0[0] }
        #expect(ids == (1...350).map(String.init))
    }

    // MARK: Selectors that follow the item

    @Test("a selector holding ${item.record} finds each item's row, and a missing one is named rendered")
    func templatedSelector() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let records = harness.folder + "/records.csv"
        try "record,status\nG-0002,overdue\nG-0005,overdue\nG-0003,open\nG-0999,open\n".write(toFile: records, atomically: true, encoding: .utf8)

        let outcome = try await Self.run(harness, "lab-grid-rows.yaml", inputs: ["records": records])

        let done = try harness.store.items(runID: outcome.run.id, states: [.done]).map(\.key).sorted()
        #expect(done == ["G-0002", "G-0003", "G-0005"])
        let missing = try harness.store.items(runID: outcome.run.id, states: [.error, .needsReview]).first
        #expect(missing?.key == "G-0999")
        #expect(missing?.lastError?.contains("td[1]='G-0999'") == true, "\(missing?.lastError ?? "")")
    }

    // MARK: No false drift

    @Test("a fallback that matched a moment before the primary is not drift; a primary that never comes is")
    func driftOnlyWhenThePrimaryStaysAway() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let late = try await Self.run(harness, "lab-late-form.yaml", inputs: ["id_delay": "400"])
        #expect(late.run.state == .succeeded, "\(late.run.failure ?? "")")
        let lateDrift = try harness.store.auditLog(entityType: "selector", entityID: "late.user", limit: 10)
        #expect(lateDrift.isEmpty, "\(lateDrift.map { $0.reason ?? "" })")

        let never = try await Self.run(harness, "lab-late-form.yaml", inputs: ["id_delay": "-1"])
        #expect(never.run.state == .succeeded, "\(never.run.failure ?? "")")
        let drift = try harness.store.auditLog(entityType: "selector", entityID: "late.user", limit: 10)
        #expect(drift.count == 1)
    }
}
