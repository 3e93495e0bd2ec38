import ArgumentParser
import Foundation
import PostgresStore
import Store

/// `ferry store`: the store's own upkeep: its schema, and moving an installation from SQLite to PostgreSQL.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Migrate the store's schema, or copy a SQLite store into PostgreSQL.",
        subcommands: [Migrate.self, Copy.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the store's schema up to date (opening a store does it too), and list its migrations.")

        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let applied: [String]
            switch store.location {
            case .sqlite(let path): applied = try SQLiteRunStore(path: path).database.appliedMigrations()
            case .postgres(let text): applied = try StoreLocation.openPostgres(text).appliedMigrations()
            }
            print("\(store.path): schema up to date; migrations applied: \(applied.joined(separator: ", "))")
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite store (runs, items, effects, users, schedules, the audit log and its seal) into PostgreSQL, then verify the audit chain there.")

        @Option(help: ArgumentHelp("The SQLite store to copy.", valueName: "file.db"))
        var from: String

        @Option(help: ArgumentHelp("The PostgreSQL store: postgres://USER@HOST:PORT/DATABASE.", valueName: "url"))
        var to: String

        @Flag(help: "Empty a destination that already holds rows (and replace its audit seal files) instead of refusing.")
        var replace = false

        func run() throws {
            let url = try PostgresStoreURL(to)
            let sealBase = StoreLocation.sealBasePath(for: url)
            let outcome = try PostgresStoreCopy(sqlitePath: from, url: url, sealBasePath: sealBase).run(replace: replace)
            for (table, count) in outcome.rows where count > 0 { print("  \(table): \(count) rows") }
            guard outcome.verification.isIntact else {
                FileHandle.standardError.write(Data("ferry: copied, but the audit chain does not verify in \(url): \(outcome.verification.problem ?? "")\n".utf8))
                throw ExitCode(1)
            }
            print("Copied \(from) to \(url); audit chain verified (\(outcome.verification.rowsChecked) rows). Seal files: \(sealBase).audit-key and .audit-witness (give every host the same key file, with $FERRY_AUDIT_SEAL).")
        }
    }
}
