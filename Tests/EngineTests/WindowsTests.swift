import Engine
import FixtureSites
import Foundation
import Testing

/// Popup windows (issue 16): `window:` goes to the popup a click opened (the newest, or the one whose
/// title or URL matches), downloads and extracts work there, and `window: close` goes back.
@Suite("Windows: the classic console's report popup", .serialized)
struct WindowsTests {
    @Test("the report popup is read and its CSV downloaded there; closed, by Ferry or by its own button, the console carries on")
    func reportPopup() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString]

        let outcome = try await harness.run(EngineHarness.testFlow("classic-report.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let downloads = try harness.store.artifacts(runID: outcome.run.id).filter { $0.kind == .download }
        let csv = try #require(downloads.first { $0.name == "records.csv" })
        let text = try String(contentsOfFile: csv.path, encoding: .utf8)
        #expect(text.hasPrefix("id,key,name,review_note,note"))
        let rows = try #require(harness.allFiles().first { $0.hasSuffix("/report-rows.csv") })
        let extracted = try String(contentsOfFile: rows, encoding: .utf8)
        #expect(extracted.split(whereSeparator: \.isNewline).count == 7, "a header and six records: \(extracted)")
    }

    @Test("a window step with no popup to go to fails within its timeout, saying no window opened")
    func noPopup() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString]
        let flow = EngineHarness.testFlow("classic-no-popup.yaml")

        let outcome = try await harness.run(flow, options)

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("step 2 (window newest)"), "\(failure)")
        #expect(failure.contains("no new window opened within"), "\(failure)")
    }
}
