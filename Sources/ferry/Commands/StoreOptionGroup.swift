import ArgumentParser
import Foundation
import Store

/// Where the store is: `--db PATH`, else `$FERRY_DB`, else `ferry.db` in the current folder.
struct StoreOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The SQLite store (default: $FERRY_DB or ./ferry.db).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["FERRY_DB"] ?? "ferry.db"
    }

    func open() throws -> SQLiteRunStore {
        try SQLiteRunStore(path: path)
    }

    /// Opens an existing store for reading; a missing file is an error rather than a new empty store.
    func openExisting() throws -> SQLiteRunStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no store at \(path); run a flow first (`ferry run FLOW`) or point --db at the store")
        }
        return try open()
    }
}
