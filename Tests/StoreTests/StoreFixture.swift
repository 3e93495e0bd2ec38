import Foundation
import PostgresStore
import PostgresTestServer
import Store
import Testing

/// The store backends the behaviour tests run against: one suite, two stores.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when installed, and always under CI (see ``PrivatePostgres/isTested``).
    static var tested: [StoreBackend] { PrivatePostgres.isTested ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// A fresh store (a temporary SQLite file, or a new database on the tests' private PostgreSQL server),
/// with one running run.
struct StoreFixture {
    let backend: StoreBackend
    /// The SQLite file, or the PostgreSQL URL.
    let path: String
    let folder: String
    let store: any OperatorStore
    let run: RunRecord

    init(_ backend: StoreBackend = .sqlite) throws {
        self.backend = backend
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            path = folder + "/ferry.db"
        case .postgres:
            path = try PrivatePostgres.shared().makeDatabase()
        }
        store = try Self.open(backend, path: path, folder: folder)
        run = try store.createRun(
            RunRecord(id: "run-1", flow: "clinic-daily-sync", flowPath: "flows/clinic-daily-sync.yaml", inputs: ["date": "2026-11-22"],
                      trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
    }

    /// A second store on the same database, as a second process (or host) would open it.
    func reopen(connections: Int = 8) throws -> any OperatorStore {
        try Self.open(backend, path: path, folder: folder, connections: connections)
    }

    private static func open(_ backend: StoreBackend, path: String, folder: String, connections: Int = 8) throws -> any OperatorStore {
        switch backend {
        case .sqlite: try SQLiteRunStore(path: path)
        case .postgres: try PostgresRunStore(url: path, sealBasePath: folder + "/ferry", connections: connections)
        }
    }

    /// The store as SQLite, for tests of SQLite's own file (tampering with it, its pragmas).
    var sqlite: SQLiteRunStore {
        get throws { try #require(store as? SQLiteRunStore) }
    }

    func addItems(_ count: Int) throws {
        _ = try store.addItems((1...count).map { NewWorkItem(key: "A-\($0)", payload: ["n": String($0)]) }, runID: run.id, actor: "engine")
    }
}
