import Doctor
import Engine
import FixtureSites
import Flows
import Foundation
import Logging
import Store
import Testing

/// The doctor inside frames (issue 16): the pages a run keeps are the documents its steps acted in,
/// so the selectors of steps after a `frame:` are checked inside that frame, online and offline.
@Suite("The selector doctor inside frames", .serialized)
struct FrameDoctorTests {
    static let classicFrames = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EngineTests/Flows/classic-frames.yaml").path

    @Test("every selector of the classic console's frameset flow is found in the frame its step acted in, online and offline")
    func framesetSelectors() async throws {
        let fixtures = FixtureServer(FixtureConfiguration())
        let sites = try await fixtures.start()
        var options = RunOptions()
        options.inputs = ["ledger": sites.ledger.absoluteString]
        options.environment = ["LEDGER_USER": FixtureCredentials.ledgerUser, "LEDGER_PASSWORD": FixtureCredentials.ledgerPassword]
        options.logger = Logger(label: "doctor-test") { _ in SwiftLogNoOpLogHandler() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-doctor-\(UUID().uuidString)").path
        let doctor = OnlineDoctor(options: options, folder: folder)

        let result = try await doctor.check(flowPath: Self.classicFrames)
        await fixtures.stop()

        // The shadow run stops before the Save: everything up to it is checked where it acted.
        let status = Dictionary(result.report.findings.map { ($0.key, $0.status) }) { first, _ in first }
        #expect(status["menu.records"] == .ok, "in the menu frame: \(result.report.text())")
        #expect(status["main.frame"] == .ok, "the frame itself, on the frameset page")
        #expect(status["records.table"] == .ok, "in the main frame")
        #expect(status["records.edit"] == .ok)
        #expect(status["record.note"] == .ok)
        #expect(result.report.broken.isEmpty)

        let store = try SQLiteRunStore(path: folder + "/doctor.db")
        let offline = try OfflineDoctor.check(flow: try FlowLoader.load(path: Self.classicFrames), store: store)
        #expect(offline.findings.first { $0.key == "records.table" }?.status == .ok, "\(offline.text())")
        #expect(offline.broken.isEmpty)
    }
}
