import Engine
import FixtureSites
import Foundation
import Logging
import Store
import Synchronization

/// A daily sync against fresh fixture sites, in a temporary folder with its own store.
struct EngineHarness {
    let folder: String
    let store: SQLiteRunStore
    let fixtures: FixtureServer
    let sites: FixtureEndpoints
    let log = LogLines()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dailySync = repository.appendingPathComponent("flows/clinic-daily-sync.yaml").path
    static func testFlow(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Flows/\(name)").path
    }

    /// A Sunday: about fifteen attended appointments, one of them with no billed amount.
    static let quietDay = "2026-11-22"

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: folder + "/ferry.db")
        fixtures = FixtureServer(FixtureConfiguration())
        sites = try await fixtures.start()
    }

    func options(date: String = EngineHarness.quietDay, password: String = FixtureCredentials.clinicPassword) -> RunOptions {
        var options = RunOptions()
        options.inputs = ["clinic": sites.clinic.absoluteString, "ledger": sites.ledger.absoluteString, "date": date]
        options.environment = [
            "CLINIC_USER": FixtureCredentials.clinicUser, "CLINIC_PASSWORD": password,
            "LEDGER_USER": FixtureCredentials.ledgerUser, "LEDGER_PASSWORD": FixtureCredentials.ledgerPassword,
        ]
        options.runsDirectory = folder + "/runs"
        options.screenshotsDirectory = folder + "/screenshots"
        let log = self.log
        var logger = Logger(label: "engine-test") { _ in CollectingLogHandler(log: log) }
        logger.logLevel = .debug
        options.logger = logger
        return options
    }

    func run(_ flow: String = EngineHarness.dailySync, _ options: RunOptions? = nil) async throws -> RunOutcome {
        try await FlowRunner(store: store, options: options ?? self.options()).start(flowPath: flow)
    }

    func stop() async {
        await fixtures.stop()
    }

    /// Every file the run wrote, for searching.
    func allFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(folder + "/" + path)
            }
        }
        return files
    }
}

/// Log lines kept in memory, so a test can search them.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

struct CollectingLogHandler: LogHandler {
    let log: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        log.lines.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }
}
