import Engine
import Foundation
import FoundationXML
import Store
import Testing

@Suite("Run reports: HTML for people, JUnit for CI")
struct RunReportTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-report-\(UUID().uuidString)").path
    let store: SQLiteRunStore

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: folder + "/ferry.db")
    }

    /// A finished run with one stage, one done item and one in review whose data came from a hostile system.
    private func hostileRun() throws -> String {
        let run = RunRecord(id: "r-1", flow: "clinic-daily-sync", flowPath: "flows/x.yaml", inputs: ["date": "2026-11-22"],
                            trigger: .cli, triggeredBy: "ops", startedAt: Date(timeIntervalSince1970: 1_795_000_000))
        _ = try store.createRun(run, actor: "ops")
        let start = Date()
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "process", state: .started, updatedAt: start), actor: "engine")
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "process", step: 0, state: .started, updatedAt: start), actor: "engine")
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "process", step: 0, state: .completed, updatedAt: start.addingTimeInterval(1.25)), actor: "engine")
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "process", state: .completed, updatedAt: start.addingTimeInterval(2)), actor: "engine")
        _ = try store.addItems([
            NewWorkItem(key: "A-1", payload: ["patient": "Ada"]),
            NewWorkItem(key: "A-2<script>alert(1)</script>", payload: ["patient": "<img src=x onerror=alert(2)>"],
                        reviewReason: "Patient \"<b>P-99999</b>\" is not in the registry & needs a look"),
        ], runID: "r-1", actor: "engine")
        let first = try #require(try store.items(runID: "r-1", states: [.new]).first)
        _ = try store.finishItem(id: first.id, state: .done, reason: nil, actor: "worker")
        _ = try store.updateRun(id: "r-1", actor: "engine", reason: nil) { $0.state = .needsReview; $0.finishedAt = Date(timeIntervalSince1970: 1_795_000_042) }
        return "r-1"
    }

    @Test("the HTML report shows stages, items and reasons, with every foreign value escaped")
    func htmlEscapesForeignData() throws {
        let report = try #require(try RunReport.load(runID: hostileRun(), store: store))
        let html = report.html()

        #expect(html.contains("<title>clinic-daily-sync · r-1 · needs_review</title>"))
        #expect(html.contains("<td>process</td>"))
        #expect(html.contains("A-2&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Patient &quot;&lt;b&gt;P-99999&lt;/b&gt;&quot; is not in the registry &amp; needs a look"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>P-99999"))
        #expect(html.contains("42.0 s"))
    }

    @Test("the JUnit file is well-formed XML: a case per stage and item, review items as failures")
    func junit() throws {
        let report = try #require(try RunReport.load(runID: hostileRun(), store: store))
        let xml = report.junitXML()

        #expect(XMLParser(data: Data(xml.utf8)).parse())
        #expect(xml.contains(#"<testsuite name="clinic-daily-sync" id="r-1" tests="3" failures="1""#))
        #expect(xml.contains(#"<testcase classname="clinic-daily-sync.items" name="A-1"/>"#))
        #expect(xml.contains(#"<failure type="needs_review" message="Patient &quot;&lt;b&gt;P-99999&lt;/b&gt;&quot; is not in the registry &amp; needs a look"/>"#))
    }

    @Test("stage and step durations come from the checkpoints' audit rows")
    func durations() throws {
        let report = try #require(try RunReport.load(runID: hostileRun(), store: store))
        #expect(report.stages.first?.duration == 2)
        #expect(report.steps.count == 1)
        #expect(report.steps.first?.stage == "process")
        #expect(report.steps.first?.step == 1)
        #expect(report.steps.first?.duration == 1.25)
    }

    @Test("there is no report of a run that does not exist")
    func missingRun() throws {
        #expect(try RunReport.load(runID: "nope", store: store) == nil)
    }
}
