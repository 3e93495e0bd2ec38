import Engine
import Foundation
import FoundationXML
import Store
import Testing

@Suite("Escaping per Unicode scalar: a `<` or `\"` hidden in a grapheme cluster is escaped too")
struct ScalarEscapingTests {
    /// Each of these is one `Character` holding a markup character.
    static let clusters = ["\u{0600}<", "\u{0601}<", "\u{0602}<", "\u{0603}<", "\u{0604}<", "\u{0605}<", "<\u{0301}", "\"\u{0301}", "'\u{0301}",
                           ">\u{0301}", "&\u{0301}"]

    @Test("no markup character leaves HTMLText.escape raw, whatever it is combined with", arguments: clusters)
    func escape(cluster: String) {
        let escaped = HTMLText.escape("a" + cluster + "b")
        #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }, "\(escaped.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("NUL and bidirectional overrides are shown as U+FFFD; look-alikes are left as they are")
    func hidden() {
        #expect(HTMLText.escape("a\u{0}b\u{202E}c\u{2066}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(HTMLText.escape("\u{FE64}x\u{FF1C}") == "\u{FE64}x\u{FF1C}")
    }

    @Sendable static func hostile(_ label: String) -> String {
        clusters.map { "\(label)\($0)x-planted \($0) data-planted=1" }.joined() + "\u{0}\u{202E}\u{1B}"
    }

    @Test("report.html and the JUnit file stay clean with clusters, NUL and overrides in every field")
    func reports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-scalar-\(UUID().uuidString)").path
        let store = try SQLiteRunStore(path: folder + "/ferry.db")
        let h = Self.hostile
        _ = try store.createRun(RunRecord(id: "r-h", flow: h("flow"), flowPath: "x.yaml", inputs: [h("in"): h("value")], trigger: .cli, triggeredBy: h("by")),
                                actor: "ops")
        try store.checkpoint(Checkpoint(runID: "r-h", stage: h("stage"), state: .started, detail: h("detail")), actor: "engine")
        try store.checkpoint(Checkpoint(runID: "r-h", stage: h("stage"), state: .failed, detail: h("detail")), actor: "engine")
        _ = try store.addItems([NewWorkItem(key: h("key"), payload: [h("f"): h("v")], reviewReason: h("reason"))], runID: "r-h", actor: "engine")
        _ = try store.updateRun(id: "r-h", actor: "engine", reason: nil) {
            $0.state = .failed
            $0.failure = h("failure")
            $0.finishedAt = Date()
        }
        let report = try #require(try RunReport.load(runID: "r-h", store: store))
        for (name, text) in [("report.html", report.html()), ("junit", report.junitXML())] {
            let bytes = Array(text.utf8)
            #expect(bytes.firstRange(of: Array("<x-planted".utf8)) == nil, "\(name)")
            #expect(bytes.firstRange(of: Array("\u{0600}<".utf8)) == nil, "\(name)")
            #expect(bytes.firstRange(of: Array("\"\u{0301}".utf8)) == nil, "\(name)")
        }
        #expect(report.html().contains("<meta http-equiv=\"Content-Security-Policy\""))
        #expect(XMLParser(data: Data(report.junitXML().utf8)).parse(), "the JUnit file is not well-formed XML")
    }
}
