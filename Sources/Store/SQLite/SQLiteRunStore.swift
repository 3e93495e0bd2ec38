import Foundation
import GRDB
import Synchronization

/// The ``RunStore`` on one SQLite file (WAL, `synchronous=FULL`): Ferry's default, embedded store.
///
/// Writes run in `BEGIN IMMEDIATE` transactions, so several Ferry processes can share one file: a
/// writer waits for the lock (up to the busy timeout) instead of failing half-way.
public final class SQLiteRunStore: RunStore {
    public let database: StoreDatabase
    /// Set by ``recordInterruption(runIDs:actor:reason:owner:)``: the process is ending and writes no more.
    let closedForWrites = Atomic<Bool>(false)

    public init(database: StoreDatabase) {
        self.database = database
    }

    /// Opens (creating and migrating if needed) the store at `path`.
    public convenience init(path: String) throws(StoreError) {
        self.init(database: try StoreDatabase(path: path))
    }

    // MARK: Access

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.pool.writeWithoutTransaction { db in
                // Checked here, where writes are serialized: no write can start after an interruption's.
                if closedForWrites.load(ordering: .acquiring) { throw Self.closedError(path: database.path) }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .databaseFailure, path: database.path, message: "\(error)")
        }
    }

    /// Reads the dashboard repeats on every page use cached statements (`db.cachedStatement`): preparing
    /// each query again, with GRDB's authorizer, was a fifth of a page's time in the store.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .databaseFailure, path: database.path, message: "\(error)")
        }
    }

    static func json(_ dictionary: [String: String]) -> String { StoreJSON.text(dictionary) }
    static func dictionary(_ json: String?) -> [String: String] { StoreJSON.dictionary(json) }
    static func json(_ outline: FlowOutline?) -> String? { StoreJSON.text(outline) }
    static func outline(_ json: String?) -> FlowOutline? { StoreJSON.outline(json) }

    // MARK: Audit

    /// Appends one audit row inside the caller's transaction, numbered and chained to the previous row.
    static func appendAudit(_ event: AuditEvent, at date: Date = Date(), in db: Database) throws {
        // Cached statements: every step writes here, and compiling the SQL each time cost more than running it.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        let sequence: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let previousHash: String = last?["hash"] ?? AuditChain.genesis
        let at = StoreTimestamp.string(date)
        let payload = event.payload.isEmpty ? nil : json(event.payload)
        let hash = AuditChain.hash(
            sequence: sequence, at: at, actor: event.actor, entityType: event.entityType, entityID: event.entityID,
            fromState: event.fromState, toState: event.toState, reason: event.reason, payload: payload, previousHash: previousHash)
        let seal = AuditSeal.seal(for: db)
        let mac = seal?.mac(of: hash)
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_log (seq, at, actor, entity_type, entity_id, from_state, to_state, reason, payload, prev_hash, hash, mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [sequence, at, event.actor, event.entityType, event.entityID, event.fromState, event.toState,
                        event.reason, payload, previousHash, hash, mac])
        if let seal, AuditSeal.isWitnessed(sequence: sequence, event) {
            // After the commit only: a witnessed head that was rolled back would look like a deleted row.
            db.afterNextTransaction(onCommit: { _ in seal.witness(sequence: sequence, hash: hash, mac: mac) })
        }
    }

    public func appendAudit(_ event: AuditEvent) throws(StoreError) {
        try write { db in try Self.appendAudit(event, in: db) }
    }

    public func auditLog(entityType: String?, entityID: String?, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let entityType {
                conditions.append("entity_type = ?")
                _ = arguments.append(contentsOf: [entityType])
            }
            if let entityID {
                conditions.append("entity_id = ?")
                _ = arguments.append(contentsOf: [entityID])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM (SELECT * FROM audit_log \(filter) ORDER BY seq DESC LIMIT ?) ORDER BY seq"), arguments: arguments)
                .map(Self.auditEntry)
        }
    }

    /// Checks the chain (numbering, previous hashes, each row's hash), then its anchor outside the
    /// database: each sealed row's MAC under the key file, and each head in the witness file.
    public func verifyAuditLog() throws(StoreError) -> AuditVerification {
        let seal = database.auditSeal
        return try read { db in
            var verifier = AuditChainVerifier(seal: seal)
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
            while let row = try cursor.next() {
                if let problem = verifier.check(Self.auditEntry(row), atText: row["at"], mac: row["mac"]) { return problem }
            }
            return verifier.finish()
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            sequence: row["seq"], at: StoreTimestamp.date(row["at"]) ?? Date(timeIntervalSince1970: 0), actor: row["actor"],
            entityType: row["entity_type"], entityID: row["entity_id"], fromState: row["from_state"], toState: row["to_state"],
            reason: row["reason"], payload: row["payload"], previousHash: row["prev_hash"], hash: row["hash"])
    }
}

extension JSONEncoder {
    /// Sorted keys, so the same dictionary always serialises to the same text (it is hashed into the audit chain).
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
