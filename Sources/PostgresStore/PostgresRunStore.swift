import Foundation
import PostgresNIO
import Store
import Synchronization

/// The ``RunStore`` on a PostgreSQL database, for workers and schedulers on several hosts sharing one
/// store (`--store postgres://USER@HOST:PORT/DATABASE`).
///
/// **Why the protocol stays synchronous, with a bridge.** ``RunStore`` is synchronous: the engine, the
/// scheduler, the dashboard and the CLI call it from both async and plain code, and SQLite (GRDB) blocks
/// the calling thread too. Making the protocol async would change every caller for one backend, and an
/// `async` store call would still have to hold a connection across suspension points. So each call
/// here takes a connection from a small pool, sends its statements on PostgresNIO's event loops, and
/// waits for each answer on the calling thread (``PostgresSession``). The event loops are a group of
/// Ferry's own, so an answer never needs the thread that waits for it, and no task is started on
/// Swift's cooperative pool to do the work: a caller blocking a cooperative thread (as SQLite's does)
/// cannot deadlock waiting for a task that has no thread to run on. Only ``waitForWork(timeout:)``,
/// which is async in the protocol, suspends instead.
///
/// **What stays atomic across hosts.** Every write runs in one transaction with its audit rows. Every
/// audited write first takes the audit chain's head row (`audit_head`) `FOR UPDATE`: appends from all
/// hosts are serialised, numbered without gaps and never fork, and since the head is always the first
/// lock taken, two writes never deadlock on each other's rows. Claims are one
/// `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED)` (the claims of this process's workers at one
/// moment share it, see ``ClaimCombiner``); slots, locks, intents and operator changes
/// are compare-and-sets in single statements, exactly as in ``SQLiteRunStore``.
public final class PostgresRunStore: OperatorStore {
    public let url: PostgresStoreURL
    let pool: PostgresConnectionPool
    /// The audit chain's anchor outside the database: `<sealBasePath>.audit-key` and `.audit-witness`.
    public let seal: AuditSeal
    /// Set by ``recordInterruption(runIDs:actor:reason:owner:)``: the process is ending and writes no more.
    let closedForWrites = Atomic<Bool>(false)
    let workSignal: WorkSignal
    /// Audited writes of this process under way: while others wait for the chain head, a write releases
    /// it before its disk flush (see ``PostgresTransaction``).
    let auditedWrites = Atomic<Int>(0)
    /// Claims made at the same moment by this process's workers, combined into one transaction.
    let claims = ClaimCombiner()

    /// The channel `NOTIFY` wakes idle workers on.
    static let workChannel = "ferry_work"

    /// Connects to the store at `url` (migrating it when needed) with up to `connections` connections.
    /// The audit seal's key and witness files are `<sealBasePath>.audit-key` and `.audit-witness`: give
    /// every host the same key file (copy it), as the key proves each row was written by Ferry.
    public init(url: PostgresStoreURL, sealBasePath: String, connections: Int = 8) throws(StoreError) {
        self.url = url
        self.pool = PostgresConnectionPool(url: url, size: max(1, connections))
        self.workSignal = WorkSignal(url: url)
        let pool = self.pool
        let store = url.description
        do {
            _ = try pool.withSession { session throws(StoreError) in try PostgresSchema.migrate(session, store: store) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .cannotOpen, path: store, message: PostgresSession.describe(error))
        }
        seal = try AuditSeal.load(basePath: sealBasePath, store: store) { () throws(StoreError) in
            do {
                return try pool.withSession { session in
                    let head = try session.row("SELECT seq, hash FROM audit_head WHERE id = 1").flatMap { row -> (Int64, String)? in
                        let seq = try row.int64("seq")
                        return seq == 0 ? nil : (seq, try row.text("hash"))
                    }
                    let sealed = try session.row("SELECT count(*) AS n FROM audit_log WHERE mac IS NOT NULL")?.int64("n") ?? 0
                    return (head, Int(sealed))
                }
            } catch {
                throw StoreError(code: .cannotOpen, path: store, message: "cannot read the audit log to seal it: \(PostgresSession.describe(error))")
            }
        }
    }

    /// Convenience: a URL string, `postgres://…`.
    public convenience init(url text: String, sealBasePath: String, connections: Int = 8) throws(StoreError) {
        try self.init(url: PostgresStoreURL(text), sealBasePath: sealBasePath, connections: connections)
    }

    deinit {
        workSignal.stop()
        pool.closeAll()
    }

    /// The migrations applied so far, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { session in try PostgresSchema.applied(session) }
    }

    // MARK: Access

    /// One write transaction. `audited` writes take the chain head first (see the type's comment);
    /// the head is then the transaction's, and ``PostgresTransaction/appendAudit(_:at:)`` extends it.
    @discardableResult
    func write<T>(audited: Bool = true, _ body: (PostgresTransaction) throws -> T) throws(StoreError) -> T {
        let store = url.description
        if closedForWrites.load(ordering: .acquiring) { throw Self.closedError(path: store) }
        do {
            let othersWriting = audited && auditedWrites.add(1, ordering: .relaxed).oldValue > 0
            defer { if audited { auditedWrites.subtract(1, ordering: .relaxed) } }
            let (result, witnesses) = try pool.withSession { session in
                // An audited transaction asks for the chain head first; the body's statements queue behind it.
                let transaction = PostgresTransaction(session: session, seal: seal, audited: audited, releasesHeadEarly: othersWriting)
                do {
                    let result = try body(transaction)
                    // Checked again at the end: a write that raced an interruption is not committed after it.
                    if closedForWrites.load(ordering: .acquiring) { throw Self.closedError(path: store) }
                    try transaction.commit()
                    return (result, transaction.witnesses)
                } catch {
                    let cause = transaction.rollback()
                    if error is StoreError { throw error }
                    throw cause ?? error
                }
            }
            // After the commit only: a witnessed head that was rolled back would look like a deleted row.
            for head in witnesses { seal.witness(sequence: head.sequence, hash: head.hash, mac: head.mac) }
            return result
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .databaseFailure, path: store, message: PostgresSession.describe(error))
        }
    }

    func read<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.withSession(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .databaseFailure, path: url.description, message: PostgresSession.describe(error))
        }
    }

    static func closedError(path: String) -> StoreError {
        StoreError(code: .closed, path: path, message: "the process is being stopped and its runs were recorded as interrupted")
    }

    static func notFound(_ path: String, _ message: String) -> StoreError {
        StoreError(code: .notFound, path: path, message: message)
    }

    // MARK: Audit

    public func appendAudit(_ event: AuditEvent) throws(StoreError) {
        try write { transaction in try transaction.appendAudit(event) }
    }

    public func auditLog(entityType: String?, entityID: String?, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read { session in
            var conditions: [String] = []
            var arguments: [any SQLArgument] = []
            if let entityType {
                conditions.append("entity_type = ?")
                arguments.append(entityType)
            }
            if let entityID {
                conditions.append("entity_id = ?")
                arguments.append(entityID)
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(limit)
            return try session.rows("SELECT * FROM (SELECT * FROM audit_log \(filter) ORDER BY seq DESC LIMIT ?) AS newest ORDER BY seq", arguments)
                .map(Self.auditEntry)
        }
    }

    public func auditLog(runID: String) throws(StoreError) -> [AuditEntry] {
        let escaped = runID.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try read { session in
            try session.rows(
                "SELECT * FROM audit_log WHERE entity_id = ? OR entity_id LIKE ? ESCAPE '\\' ORDER BY seq", [runID, escaped + "/%"]
            ).map(Self.auditEntry)
        }
    }

    /// Checks the chain and its seal exactly as ``SQLiteRunStore/verifyAuditLog()`` does, reading the
    /// log in pages of rows.
    public func verifyAuditLog() throws(StoreError) -> AuditVerification {
        let seal = seal
        return try read { session in
            var verifier = AuditChainVerifier(seal: seal)
            var after: Int64 = 0
            while true {
                let rows = try session.rows("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000", [after])
                for row in rows {
                    let entry = try Self.auditEntry(row)
                    if let problem = verifier.check(entry, atText: try row.text("at"), mac: try row.optionalText("mac")) { return problem }
                    after = entry.sequence
                }
                if rows.count < 5000 { break }
            }
            return verifier.finish()
        }
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.int64("seq"), at: try row.date("at") ?? Date(timeIntervalSince1970: 0), actor: try row.text("actor"),
            entityType: try row.text("entity_type"), entityID: try row.text("entity_id"), fromState: try row.optionalText("from_state"),
            toState: try row.optionalText("to_state"), reason: try row.optionalText("reason"), payload: try row.optionalText("payload"),
            previousHash: try row.text("prev_hash"), hash: try row.text("hash"))
    }
}
