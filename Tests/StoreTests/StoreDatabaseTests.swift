import Foundation
import GRDB
@testable import Store
import Testing

@Suite("StoreDatabase")
struct StoreDatabaseTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ferry-store-\(UUID().uuidString)/ferry.db").path
    }

    @Test("opens a new file in WAL mode with synchronous=FULL and applies the migrations")
    func opensDurably() throws {
        let store = try StoreDatabase(path: Self.temporaryPath())

        #expect(try store.pragma("journal_mode") == "wal")
        #expect(try store.pragma("synchronous") == "2")  // FULL
        #expect(try store.appliedMigrations() == ["v1-foundation", "v2-runs", "v3-operators", "v4-schedules", "v5-effects", "v5-run-origin", "v6-security"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("reopening an existing file keeps it and applies nothing twice")
    func reopens() throws {
        let path = Self.temporaryPath()
        _ = try StoreDatabase(path: path)
        let again = try StoreDatabase(path: path)
        #expect(try again.appliedMigrations() == ["v1-foundation", "v2-runs", "v3-operators", "v4-schedules", "v5-effects", "v5-run-origin", "v6-security"])
    }

    @Test("a file that is not a database is a clear 'cannot open' error with its path")
    func notADatabase() throws {
        let path = Self.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: StoreError.self) { try StoreDatabase(path: path) }

        #expect(error?.path == path)
        #expect(error?.code == .cannotOpen || error?.code == .migrationFailed)
    }

    @Test("v5-run-origin keeps every run of an older store: their origin reads as unknown, and a run can now be interrupted")
    func upgradesOlderRuns() throws {
        let path = Self.temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let older = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(older, upTo: "v4-schedules")
        try older.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, flow, flow_path, inputs, state, trigger, triggered_by, started_at)
                VALUES ('old-1', 'clinic-daily-sync', 'flows/clinic-daily-sync.yaml', '{"date":"2026-11-22"}', 'failed', 'cli',
                        'cli:alice', '2026-11-23T05:30:00.000Z');
                INSERT INTO checkpoints (run_id, stage, state, attempt, updated_at)
                VALUES ('old-1', 'clinic_login', 'completed', 1, '2026-11-23T05:30:01.000Z');
                """)
        }
        try older.close()

        let store = try SQLiteRunStore(path: path)
        let run = try #require(try store.run(id: "old-1"))
        #expect(run.flowPath == "flows/clinic-daily-sync.yaml")
        #expect(run.inputs == ["date": "2026-11-22"])
        #expect(run.state == .failed)
        #expect(run.flowSHA256 == nil && run.flowOutline == nil && run.runsDirectory == nil && run.screenshotsDirectory == nil)
        #expect(try store.checkpoints(runID: "old-1").map(\.stage) == ["clinic_login"])
        let interrupted = try store.updateRun(id: "old-1", actor: "test", reason: "stopped by SIGTERM") { $0.state = .interrupted }
        #expect(interrupted.state == .interrupted)
        #expect(try store.run(id: "old-1")?.state == .interrupted)
        #expect(try store.database.integrityCheck() == "ok")
    }
}
