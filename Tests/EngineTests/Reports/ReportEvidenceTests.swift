import Engine
import Foundation
import Store
import Testing

/// A failed run's report stays small enough to mail, and says truthfully how its stages went.
@Suite("Run reports: evidence previews, stages with failed items, stage retries")
struct ReportEvidenceTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-report-evidence-\(UUID().uuidString)").path
    let store: SQLiteRunStore

    init() throws {
        try FileManager.default.createDirectory(atPath: folder + "/runs/r-1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/screenshots/r-1", withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: folder + "/ferry.db")
        _ = try store.createRun(
            RunRecord(id: "r-1", flow: "db-admin-export", flowPath: "flows/x.yaml", inputs: [:], trigger: .cli, triggeredBy: "ops", startedAt: Date()),
            actor: "ops")
    }

    private func artifact(_ name: String, bytes: Int, item: String?, artifactName: String? = nil) throws -> String {
        let path = folder + "/screenshots/r-1/" + name
        let data = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        try data.write(to: URL(fileURLWithPath: path))
        _ = try store.recordArtifact(
            Artifact(runID: "r-1", kind: .screenshot, path: path, size: data.count, sha256: String(repeating: "0", count: 64), stage: "enter", step: 1,
                     itemKey: item, name: artifactName),
            actor: "engine")
        return path
    }

    @Test("three failures with 4.5 MB full-page PNGs give a report of small embedded previews linking the originals")
    func previewsNotFullPages() throws {
        _ = try store.addItems((1...3).map { NewWorkItem(key: "E-\($0)", payload: [:]) }, runID: "r-1", actor: "engine")
        for item in try store.items(runID: "r-1", states: [.new]) {
            _ = try store.finishItem(id: item.id, state: .error, reason: "no element for 'save'", actor: "worker")
            let png = try artifact("enter-2-\(item.key).png", bytes: 4_500_000, item: item.key)
            _ = try artifact("enter-2-\(item.key).preview.jpg", bytes: 30_000, item: item.key, artifactName: "preview:" + (png as NSString).lastPathComponent)
        }
        let report = try #require(try RunReport.load(runID: "r-1", store: store))
        let html = report.html(folder: folder + "/runs/r-1")

        #expect(html.utf8.count < 300_000, "the report is \(html.utf8.count) bytes")
        #expect(html.components(separatedBy: "data:image/jpeg;base64,").count == 4)
        #expect(!html.contains("data:image/png"))
        #expect(html.contains(#"<a href="../../screenshots/r-1/enter-2-E-1.png">"#))
    }

    @Test("a screenshot without a preview is linked, not embedded, when it is large")
    func largeWithoutPreview() throws {
        _ = try artifact("process-3.png", bytes: 3_000_000, item: nil)
        let html = try #require(try RunReport.load(runID: "r-1", store: store)).html()
        #expect(html.utf8.count < 100_000)
        #expect(html.contains("full-page screenshot"))
        #expect(html.contains(folder + "/screenshots/r-1/process-3.png"))
    }

    @Test("a per-item stage whose items ended in error does not read 'completed'; stage retries count as attempts")
    func stageStatesAndAttempts() throws {
        let start = Date()
        // A stage retried twice before it passed: three attempts.
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "download", state: .started, updatedAt: start), actor: "engine")
        for attempt in 1...2 {
            try store.appendAudit(AuditEvent(actor: "engine", entityType: "stage", entityID: "r-1/download", toState: "retrying",
                                             reason: "attempt \(attempt) failed, retrying the stage in 2s: timeout"))
        }
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "download", state: .completed, updatedAt: start), actor: "engine")
        // A per-item stage: one item done, one in error after a failed step.
        _ = try store.addItems([NewWorkItem(key: "A-1", payload: [:]), NewWorkItem(key: "A-2", payload: [:])], runID: "r-1", actor: "engine")
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "enter", state: .started, updatedAt: start), actor: "engine")
        let items = try store.items(runID: "r-1", states: [.new])
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "enter", step: 1, itemKey: "A-2", state: .failed, updatedAt: start), actor: "worker")
        _ = try store.finishItem(id: items[0].id, state: .done, reason: nil, actor: "worker")
        _ = try store.finishItem(id: items[1].id, state: .error, reason: "refused", actor: "worker")
        try store.checkpoint(Checkpoint(runID: "r-1", stage: "enter", state: .completed, updatedAt: start), actor: "engine")

        let report = try #require(try RunReport.load(runID: "r-1", store: store))
        let download = try #require(report.stages.first { $0.name == "download" })
        #expect(download.attempts == 3)
        #expect(download.state == "completed")
        let enter = try #require(report.stages.first { $0.name == "enter" })
        #expect(enter.state == "error")
        #expect(enter.itemsInError == 1)
        #expect(enter.detail?.hasPrefix("finished with items 1 in error") == true)
        #expect(report.html().contains(#"<span class="state error">error</span>"#))
    }
}
