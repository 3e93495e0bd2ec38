import ArgumentParser
import Foundation
import PostgresStore
import Store

/// Where the store is: `--store URL` (a `postgres://` URL, or a SQLite path, also written `sqlite:PATH`),
/// else `$FERRY_STORE`, else `--db PATH`, else `$FERRY_DB`, else `ferry.db` in the current folder.
struct StoreOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The SQLite store (default: $FERRY_DB or ./ferry.db).", valueName: "path"))
    var db: String?

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store: postgres://USER@HOST:PORT/DATABASE for PostgreSQL, or a SQLite path (default: $FERRY_STORE, else --db).",
            valueName: "url"))
    var storeLocation: String?

    /// The store named by the options and environment.
    var location: StoreLocation {
        StoreLocation(
            storeLocation ?? (db == nil ? ProcessInfo.processInfo.environment["FERRY_STORE"] : nil)
                ?? db ?? ProcessInfo.processInfo.environment["FERRY_DB"] ?? "ferry.db")
    }

    /// The store's name for messages: the SQLite path, or the PostgreSQL URL without its password.
    var path: String { location.description }

    /// The folder relative paths (runs, screenshots, ledgers) are kept beside: the SQLite file's, or the
    /// current folder for a PostgreSQL store.
    var folder: String { location.folder }

    func open() throws -> any OperatorStore {
        try location.open()
    }

    /// Opens an existing store for reading; a missing SQLite file is an error rather than a new empty store.
    func openExisting() throws -> any OperatorStore {
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no store at \(path); run a flow first (`ferry run FLOW`) or point --db (or --store) at the store")
        }
        return try open()
    }
}

/// A store's location: a SQLite file or a PostgreSQL database.
enum StoreLocation: CustomStringConvertible {
    case sqlite(String)
    case postgres(String)

    init(_ text: String) {
        if PostgresStoreURL.isPostgres(text) {
            self = .postgres(text)
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(text)
        }
    }

    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let text): (try? PostgresStoreURL(text).description) ?? "the PostgreSQL store"
        }
    }

    var folder: String {
        switch self {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent().path
        case .postgres: FileManager.default.currentDirectoryPath
        }
    }

    func open() throws -> any OperatorStore {
        switch self {
        case .sqlite(let path): try SQLiteRunStore(path: path)
        case .postgres(let text): try Self.openPostgres(text)
        }
    }

    /// The PostgreSQL store, with its audit seal's files at `$FERRY_AUDIT_SEAL` (a path without extension),
    /// else `./ferry-DATABASE` in the current folder: give every host the same key file.
    static func openPostgres(_ text: String) throws -> PostgresRunStore {
        let url = try PostgresStoreURL(text)
        return try PostgresRunStore(url: url, sealBasePath: sealBasePath(for: url))
    }

    static func sealBasePath(for url: PostgresStoreURL) -> String {
        ProcessInfo.processInfo.environment["FERRY_AUDIT_SEAL"] ?? "ferry-\(url.database)"
    }
}
