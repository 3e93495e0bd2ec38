import Dashboard
import Engine
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Testing

/// Text a foreign system (or an operator) controls, with the scalar-level tricks that get markup past
/// an escaper working one `Character` at a time.
enum HostileText {
    /// Scalars that merge with the next or the previous one into one grapheme cluster, or only look like `<`.
    static let tricks: [(name: String, before: String, after: String)] = [
        ("combining acute after", "", "\u{0301}"),
        ("U+0600 prefix", "\u{0600}", ""), ("U+0601 prefix", "\u{0601}", ""), ("U+0602 prefix", "\u{0602}", ""),
        ("U+0603 prefix", "\u{0603}", ""), ("U+0604 prefix", "\u{0604}", ""), ("U+0605 prefix", "\u{0605}", ""),
        ("small less-than look-alike", "\u{FE64}", ""), ("fullwidth less-than look-alike", "\u{FF1C}", ""),
        ("NUL", "\u{0}", "\u{0}"), ("right-to-left override", "\u{202E}", "\u{202C}"),
    ]

    /// Every trick around every markup character: a tag, an attribute break-out (double and single
    /// quote) and a refresh to another site.
    static func planted(_ label: String) -> String {
        tricks.map { trick in
            let p = trick.before, a = trick.after
            return "\(label)\(p)<\(a)x-planted\(p)>\(a)\(p)\"\(a) data-planted=\(p)\"\(a)1\(p)'\(a) data-planted='1"
                + "\(p)<\(a)meta http-equiv=refresh content=0;url=https://evil.example/\(p)>\(a)"
        }.joined(separator: " ")
    }

    /// What must never appear in a page, compared byte by byte (a `String.contains` compares Characters,
    /// and would not see `<` inside a cluster, which is the very bug): each trick's raw tag opening and
    /// attribute break-out, exactly as planted.
    static let markers: [String] = ["<x-planted", "<meta http-equiv=refresh", "data-planted=\"1", "data-planted='1"]
        + tricks.flatMap { trick -> [String] in
            let p = trick.before, a = trick.after
            return ["\(p)<\(a)x-planted", "\(p)<\(a)meta", "\(p)\"\(a) data-planted", "\(p)'\(a) data-planted"]
        }

    static func survivors(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Array(Set(markers.filter { bytes.firstRange(of: Array($0.utf8)) != nil })).sorted()
    }
}

@Suite("Hostile strings: no markup planted in any field survives into any view, the report or the JUnit file")
struct HostileStringsTests {
    /// A run whose every field a foreign system or an operator can set holds hostile text.
    static func plant(in harness: DashboardHarness) throws -> [Int64] {
        let store = harness.store
        let h = HostileText.planted
        _ = try store.createRun(
            RunRecord(id: "run-h", flow: h("flow"), flowPath: harness.folder + "/flows/x.yaml", inputs: [h("input-name"): h("input-value")],
                      trigger: .operator, triggeredBy: h("by")),
            actor: "cli:tester")
        _ = try store.addItems(
            [NewWorkItem(key: h("key"), payload: [h("field"): h("value"), "amount": h("amount")], reviewReason: h("review")),
             NewWorkItem(key: "B-2", payload: ["note": h("note")])],
            runID: "run-h", actor: "engine")
        let ids = try store.items(runID: "run-h", states: []).map(\.id)
        _ = try store.finishItem(id: ids[1], state: .error, reason: h("error reason"), actor: "worker:1")
        try store.checkpoint(Checkpoint(runID: "run-h", stage: h("stage"), step: 0, state: .started, detail: h("detail")), actor: "engine")
        try store.setVariables([h("variable"): h("captured")], runID: "run-h", actor: "engine")
        _ = try store.recordArtifact(
            Artifact(runID: "run-h", kind: .screenshot, path: harness.folder + "/screenshots/run-h/" + h("file"), size: 1, sha256: String(repeating: "b", count: 64),
                     stage: h("artifact stage"), step: 0, itemKey: h("key"), name: h("artifact name")),
            actor: "engine")
        _ = try store.setSchedulePaused(flow: h("schedule"), paused: true, actor: "operator:alice", reason: h("pause reason"))
        _ = try OperatorActions(store: store).perform(.escalate(ids[1]), by: Operator(name: "alice", role: .operator, channel: .dashboard),
                                                      reason: h("escalation reason"))
        _ = try store.updateRun(id: "run-h", actor: "engine", reason: h("run reason")) {
            $0.state = .failed
            $0.failure = h("failure")
            $0.currentStage = h("current stage")
            $0.currentStep = h("current step")
            $0.finishedAt = Date()
        }
        // Invalid UTF-8 straight into the file, as a foreign tool writing the database might.
        try store.database.pool.write { db in
            try db.execute(sql: "UPDATE work_items SET key = CAST(X'FF3C782D706C616E7465643EC0' AS TEXT) WHERE id = ?", arguments: [ids[1]])
        }
        return ids
    }

    @Test("every view, as a viewer and as an admin, with hostile data and hostile query strings")
    func views() async throws {
        let harness = try await DashboardHarness.make()
        let ids = try Self.plant(in: harness)
        let reflected = DashboardClient.encode(HostileText.planted("query"))
        let paths = ["/", "/activity", "/activity?kind=runs", "/activity?kind=items&q=\(reflected)&state=\(reflected)&flow=\(reflected)",
                     "/activity?kind=runs&q=\(reflected)&flow=\(reflected)", "/exceptions", "/runs/run-h", "/trigger", "/users",
                     "/runs/\(reflected)", "/status.json"] + ids.map { "/items/\($0)" }
        try await harness.test { client async throws in
            let ada = try await client.signIn("ada")
            for path in paths {
                let page = try await client.get(path, cookie: ada.cookie)
                #expect(page.status != .internalServerError, "\(path)")
                #expect(HostileText.survivors(in: page.body).isEmpty, "\(path) lets planted markup through: \(HostileText.survivors(in: page.body))")
            }
            // Reflected without a session: the sign-in page's `next`, and the redirect to it.
            for path in ["/sign-in?next=/activity\(reflected)", "/sign-in?next=\(reflected)", "/activity?q=\(reflected)"] {
                let page = try await client.get(path)
                #expect(HostileText.survivors(in: page.body).isEmpty, "\(path)")
                #expect(HostileText.survivors(in: page.headers[.location] ?? "").isEmpty, "\(path)")
            }
        }
    }

    @Test("report.html escapes every value, carries its own CSP, and the JUnit file is clean XML")
    func reports() async throws {
        let harness = try await DashboardHarness.make()
        _ = try Self.plant(in: harness)
        let report = try #require(try RunReport.load(runID: "run-h", store: harness.store))
        let html = report.html()
        #expect(HostileText.survivors(in: html).isEmpty, "report.html: \(HostileText.survivors(in: html))")
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"))
        let xml = report.junitXML()
        #expect(HostileText.survivors(in: xml).isEmpty, "junit: \(HostileText.survivors(in: xml))")
        // XML 1.0 allows no NUL or other C0 control except tab and line breaks.
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value) })
    }
}
