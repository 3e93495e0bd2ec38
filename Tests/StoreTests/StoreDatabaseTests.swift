import Foundation
import Store
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
        #expect(try store.appliedMigrations() == ["v1-foundation", "v2-runs", "v3-operators", "v4-schedules", "v6-security"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("reopening an existing file keeps it and applies nothing twice")
    func reopens() throws {
        let path = Self.temporaryPath()
        _ = try StoreDatabase(path: path)
        let again = try StoreDatabase(path: path)
        #expect(try again.appliedMigrations() == ["v1-foundation", "v2-runs", "v3-operators", "v4-schedules", "v6-security"])
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
}
