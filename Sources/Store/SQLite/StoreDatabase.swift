import Foundation
import GRDB

/// Ferry's SQLite file: one database in WAL mode with `synchronous=FULL`, migrated to the current
/// schema when opened.
///
/// WAL lets the dashboard read while a run writes; `synchronous=FULL` makes every committed
/// checkpoint survive a power cut (several thousand commits a second here, far above what a flow needs).
///
/// Related SQLite documentation: https://www.sqlite.org/wal.html
public final class StoreDatabase: Sendable {
    /// The pool of connections: one writer, concurrent readers.
    public let pool: DatabasePool
    public let path: String
    /// The audit chain's anchor outside the database (key and witness files next to it).
    let sealHolder = SealHolder()
    var auditSeal: AuditSeal? { sealHolder.seal }

    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        let holder = sealHolder
        configuration.prepareDatabase { db in AuditSeal.register(holder, for: db) }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL on the writer when it enables WAL; Ferry wants every commit durable.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw StoreError(code: .cannotOpen, path: path, message: "\(error); check that the folder exists and is writable")
        }
        try migrate()
        sealHolder.set(try AuditSeal.load(databasePath: path, pool: pool))
    }

    /// The migrations applied so far, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) }
        } catch {
            throw StoreError(code: .databaseFailure, path: path, message: "\(error)")
        }
    }

    /// A pragma's current value on a writer connection, e.g. `journal_mode` or `synchronous`.
    public func pragma(_ name: String) throws(StoreError) -> String? {
        do {
            return try pool.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        } catch {
            throw StoreError(code: .databaseFailure, path: path, message: "\(error)")
        }
    }

    /// Runs SQLite's own consistency check; "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        do {
            return try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
        } catch {
            throw StoreError(code: .databaseFailure, path: path, message: "\(error)")
        }
    }

    private func migrate() throws(StoreError) {
        do {
            let known = Set(StoreSchema.migrator.migrations)
            let applied = try pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw StoreError(
                    code: .newerSchema, path: path,
                    message: "migration '\(unknown)' is not known to this Ferry; upgrade Ferry or use another --db")
            }
            // Processes opening one new file at once (`ferry serve` and `ferry worker` started together) race
            // the migrations: each decides what is pending, then the loser's CREATE or ALTER fails on what the
            // winner committed. Every migration is one transaction, so trying again applies only what is
            // still missing; a migration that fails on its own fails every time and is reported.
            var attempt = 1
            while true {
                do {
                    try StoreSchema.migrator.migrate(pool)
                    break
                } catch where attempt < 5 {
                    attempt += 1
                    usleep(UInt32.random(in: 20_000...100_000))
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .migrationFailed, path: path, message: "\(error)")
        }
    }
}
