import Engine
import FixtureSites
import Foundation
import Testing

/// Framesets and iframes (issue 16): a frame is entered with `frame:` and left with `frame: parent`
/// or `frame: top`, so a page built of frames is as easy to drive as any other.
@Suite("Frames: the classic console's frameset, nested iframes", .serialized)
struct FramesTests {
    static func ledgerOptions(_ harness: EngineHarness) -> RunOptions {
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString]
        return options
    }

    @Test("a record's note is changed through the menu frame and the main frame of a frameset")
    func noteChangedThroughFrames() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-frames.yaml"), Self.ledgerOptions(harness))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let corvin = harness.fixtures.ledgerRecords.first { $0.name == "Corvin Laboratories" }
        #expect(corvin?.note == "Checked through the frames")
        // The table was read inside the main frame: every record, in list order.
        let written = harness.allFiles().first { $0.hasSuffix("/classic-records.csv") }
        let csv = try #require(written.map { try String(contentsOfFile: $0, encoding: .utf8) })
        #expect(csv.contains("R-100,Aldric Supplies") && csv.contains("R-105,Fairholm Dental"))
    }

    @Test("a step at the top of a frameset fails naming the frames to enter, not only the selector")
    func missingFrameIsNamed() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let flow = EngineHarness.testFlow("classic-no-frame.yaml")

        let outcome = try await harness.run(flow, Self.ledgerOptions(harness))

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("step 2 (click menu.records)"), "\(failure)")
        #expect(failure.contains("the page is made of frames (menu, main)"), "\(failure)")
        #expect(failure.contains("frame: { name: menu }"), "\(failure)")
    }

    @Test("nested iframes are entered by name, selector key and number, and left one level at a time")
    func nestedFrames() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = harness.options()
        options.inputs = ["clinic": harness.sites.clinic.absoluteString]

        let outcome = try await harness.run(EngineHarness.testFlow("lab-nested-frames.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
    }

    @Test("the page kept for the doctor is the frame's own page, so its selectors are checked inside the frame")
    func capturedPageIsTheFrame() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = Self.ledgerOptions(harness)
        options.capturePages = true

        let outcome = try await harness.run(EngineHarness.testFlow("classic-frames.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let pages = try harness.store.artifacts(runID: outcome.run.id).filter { $0.kind == .pageSource }
        // Step 6 extracts the records table inside the main frame: its kept page holds the table.
        let extractPage = try #require(pages.first { $0.name == "page:change_note/6" })
        let html = try String(contentsOfFile: extractPage.path, encoding: .utf8)
        #expect(html.contains("id=\"classic-records\""))
        #expect(html.contains("/classic/records"), "the kept page names the frame's own address")
    }
}
