import Foundation
import PostgresStore
import PostgresTestServer
import Store
import Testing

/// The store several `ferry` processes share in a test: a SQLite file in WAL, or a database on the tests'
/// private PostgreSQL server (whenever PostgreSQL is installed, and always under CI).
enum SharedStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var tested: [SharedStoreKind] { PrivatePostgres.isTested ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// A new, empty store for processes working in `directory`: the arguments that point them at it, and
    /// how the test opens it too (with the same audit seal files the processes use).
    func make(in directory: URL) throws -> SharedStore {
        switch self {
        case .sqlite:
            let path = directory.appendingPathComponent("ferry.db").path
            return SharedStore(location: path, arguments: ["--db", path]) { try SQLiteRunStore(path: path) }
        case .postgres:
            let url = try PrivatePostgres.shared().makeDatabase()
            let database = String(url.split(separator: "/").last ?? "")
            // `ferry` keeps the seal's files at ./ferry-DATABASE unless $FERRY_AUDIT_SEAL says otherwise.
            let seal = directory.appendingPathComponent("ferry-\(database)").path
            return SharedStore(location: url, arguments: ["--store", url]) { try PostgresRunStore(url: url, sealBasePath: seal, connections: 2) }
        }
    }
}

/// One shared store: where it is, the arguments naming it, and a way to open it from the test.
struct SharedStore: Sendable {
    let location: String
    let arguments: [String]
    let open: @Sendable () throws -> any RunStore
}
