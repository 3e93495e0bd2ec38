import Foundation
import Store
import Testing

/// `make demo` twice in one folder: the second used to fail every item after long waits, because the
/// bundled Ledger started empty while the store remembered the entries as done.
@Suite("ferry demo, twice in the same folder", .serialized)
struct DemoTests {
    static func demo(in directory: URL) async throws -> (status: Int32, output: String) {
        let demo = FerryProcess(["demo", "--no-dashboard", "--db", "ferry.db", "--date", "2026-11-20"], in: directory)
        let result = try await demo.runToEnd(timeout: .seconds(600))
        #expect(result.ended, "the demo did not end in 10 minutes:\n\(result.output)")
        return (result.status, result.output)
    }

    @Test("the second demo succeeds too, enters nothing new and says so; its hints name a ferry that runs")
    func twice() async throws {
        let directory = try FerryProcess.temporaryDirectory()

        let first = try await Self.demo(in: directory)
        #expect(first.status == 0, "\(first.output)")
        let firstLine = try #require(first.output.components(separatedBy: "\n").first { $0.contains("the Ledger: ") }, "\(first.output)")
        #expect(firstLine.contains("0 already in it from an earlier run"), "\(firstLine)")
        let ledgerFile = directory.appendingPathComponent("ferry-demo-ledger.json").path
        #expect(FileManager.default.fileExists(atPath: ledgerFile))

        let second = try await Self.demo(in: directory)
        #expect(second.status == 0, "\(second.output)")
        #expect(!second.output.contains("FAILED"), "\(second.output)")

        let store = try SQLiteRunStore(path: directory.appendingPathComponent("ferry.db").path)
        let runs = try store.runs(flow: nil, limit: 10)
        #expect(runs.count == 2)
        let done = try runs.map { try store.items(runID: $0.id, states: [.done]).count }
        #expect(done.count == 2 && done[0] == done[1] && done[0] > 0, "done items per run: \(done)")
        #expect(second.output.contains("\(done[0]) already in it from an earlier run, 0 entered now"), "\(second.output)")
        #expect(first.output.contains("0 already in it from an earlier run, \(done[0]) entered now"), "\(first.output)")

        // The hints print the path this ferry was started by, not a bare `ferry` that may not be on PATH.
        #expect(second.output.contains(FerryProcess.executable.path + " show "), "\(second.output)")
    }
}
