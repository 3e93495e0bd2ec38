import Foundation
import Store

/// Moves an installation from its SQLite file to a PostgreSQL database: every table's rows unchanged
/// (ids, timestamps, the audit log with its hashes and MACs), the audit seal's key and witness files,
/// then checks the copied chain with the same verify as `ferry audit verify`.
public struct PostgresStoreCopy {
    public struct Outcome: Sendable {
        public var rows: [(table: String, count: Int)]
        public var verification: AuditVerification
    }

    public let sqlitePath: String
    public let url: PostgresStoreURL
    public let sealBasePath: String

    public init(sqlitePath: String, url: PostgresStoreURL, sealBasePath: String) {
        self.sqlitePath = sqlitePath
        self.url = url
        self.sealBasePath = sealBasePath
    }

    /// Copies; a destination that already holds runs, items, users or audit rows is refused unless
    /// `replace` (which empties it first).
    public func run(replace: Bool) throws(StoreError) -> Outcome {
        let store = url.description
        guard FileManager.default.fileExists(atPath: sqlitePath) else {
            throw StoreError(code: .notFound, path: sqlitePath, message: "there is no SQLite store here; give the file with --from")
        }
        let source = try SQLiteRunStore(path: sqlitePath)
        let session = try PostgresSession.connect(url)
        defer { session.close() }
        _ = try PostgresSchema.migrate(session, store: store)
        var copied: [(table: String, count: Int)] = []
        do {
            let held = try ["runs", "work_items", "operator_users", "audit_log"].map { table in
                (table, try session.row("SELECT count(*) AS n FROM \(table)")?.int("n") ?? 0)
            }.filter { $0.1 > 0 }
            if !held.isEmpty && !replace {
                throw StoreError(
                    code: .notEmpty, path: store,
                    message: "the destination is not empty (" + held.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
                        + "); copy into an empty database, or pass --replace to empty it first")
            }
            try copySealFiles(replace: replace)
            try session.execute("BEGIN")
            do {
                try session.execute("TRUNCATE \(PostgresSchema.copiedTables.joined(separator: ", ")) RESTART IDENTITY CASCADE")
                for table in PostgresSchema.copiedTables {
                    let (columns, rows) = try source.exportRows(table: table)
                    try insert(rows, columns: columns, into: table, session: session)
                    copied.append((table, rows.count))
                }
                try session.execute(
                    """
                    UPDATE audit_head SET seq = coalesce((SELECT max(seq) FROM audit_log), 0),
                        hash = coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '\(AuditChain.genesis)')
                    WHERE id = 1
                    """)
                for table in ["work_items", "artifacts"] {
                    try session.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)")
                }
                try session.execute("COMMIT")
            } catch {
                _ = try? session.execute("ROLLBACK")
                throw error
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .databaseFailure, path: store, message: PostgresSession.describe(error))
        }
        let destination = try PostgresRunStore(url: url, sealBasePath: sealBasePath, connections: 1)
        return Outcome(rows: copied, verification: try destination.verifyAuditLog())
    }

    private func copySealFiles(replace: Bool) throws(StoreError) {
        for suffix in [".audit-key", ".audit-witness"] {
            let from = sqlitePath + suffix
            let to = sealBasePath + suffix
            guard FileManager.default.fileExists(atPath: from) else { continue }
            if FileManager.default.fileExists(atPath: to) {
                guard replace else {
                    throw StoreError(
                        code: .notEmpty, path: to,
                        message: "an audit seal file is already there; move it away, point $FERRY_AUDIT_SEAL elsewhere, or pass --replace")
                }
                try? FileManager.default.removeItem(atPath: to)
            }
            do {
                try FileManager.default.copyItem(atPath: from, toPath: to)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: to)
            } catch {
                throw StoreError(code: .cannotOpen, path: to, message: "cannot copy \(from) here: \(error)")
            }
        }
    }

    /// Multi-row INSERTs of up to 200 rows each.
    private func insert(_ rows: [[StoreCell]], columns: [String], into table: String, session: PostgresSession) throws {
        guard !rows.isEmpty else { return }
        let placeholders = "(" + columns.map { _ in "?" }.joined(separator: ", ") + ")"
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + 200, rows.count)]
            var arguments: [any SQLArgument] = []
            arguments.reserveCapacity(batch.count * columns.count)
            for row in batch {
                for cell in row {
                    switch cell {
                    case .null: arguments.append(SQLNull())
                    case .integer(let number): arguments.append(number)
                    case .real(let number): arguments.append(String(number))
                    case .text(let text): arguments.append(text)
                    }
                }
            }
            try session.execute(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: placeholders, count: batch.count).joined(separator: ", "),
                arguments)
            start += batch.count
        }
    }
}
