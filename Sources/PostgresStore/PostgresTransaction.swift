import Foundation
import NIOCore
import PostgresNIO
import Store

/// One write transaction on a session: its statements, and the audit chain's head once taken.
final class PostgresTransaction {
    let session: PostgresSession
    let seal: AuditSeal
    private var head: (sequence: Int64, hash: String)?
    /// Heads to write to the witness file once the transaction has committed.
    private(set) var witnesses: [(sequence: Int64, hash: String, mac: String?)] = []

    /// Statements sent without waiting (BEGIN, audit rows, notifications); their answers are checked at the end.
    private var pending: [EventLoopFuture<PostgresQueryResult>] = []

    /// Begins a transaction on `session` (BEGIN is sent, not waited for).
    init(session: PostgresSession, seal: AuditSeal) {
        self.session = session
        self.seal = seal
        pending.append(session.send("BEGIN"))
    }

    /// Commits: sends COMMIT, then checks every statement sent without waiting; the first failure is the
    /// error (PostgreSQL answers COMMIT in a failed transaction with ROLLBACK, not an error).
    func commit() throws {
        let committed = session.send("COMMIT")
        for answer in pending { _ = try answer.wait() }
        pending = []
        let tag = try committed.wait().metadata.command
        guard tag == "COMMIT" else {
            throw StoreError(code: .databaseFailure, path: "the PostgreSQL store", message: "the transaction was rolled back by the server (\(tag))")
        }
    }

    /// Rolls back; returns the first failure among the statements sent without waiting (the real cause,
    /// when a later statement failed only because the transaction was already aborted).
    func rollback() -> (any Error)? {
        var firstFailure: (any Error)?
        for answer in pending {
            do { _ = try answer.wait() } catch { firstFailure = firstFailure ?? error }
        }
        pending = []
        _ = try? session.execute("ROLLBACK")
        return firstFailure
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> Int { try session.changes(sql, arguments) }
    func rows(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> [PostgresRandomAccessRow] { try session.rows(sql, arguments) }
    func row(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> PostgresRandomAccessRow? { try session.row(sql, arguments) }

    /// Takes the chain's head row for this transaction: every other audited write, on any host, waits here.
    func lockChainHead() throws {
        guard head == nil else { return }
        guard let row = try session.row("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE") else {
            throw StoreError(code: .databaseFailure, path: "audit_head", message: "the audit chain's head row is missing; run `ferry store migrate`")
        }
        head = (try row.int64("seq"), try row.text("hash"))
    }

    /// Appends one audit row, numbered and chained to the head, and moves the head to it (one statement).
    func appendAudit(_ event: AuditEvent, at date: Date = Date()) throws {
        try lockChainHead()
        guard let head else { return }
        let sequence = head.sequence + 1
        let at = StoreTimestamp.string(date)
        let payload = event.payload.isEmpty ? nil : StoreJSON.text(event.payload)
        let hash = AuditChain.hash(
            sequence: sequence, at: at, actor: event.actor, entityType: event.entityType, entityID: event.entityID,
            fromState: event.fromState, toState: event.toState, reason: event.reason, payload: payload, previousHash: head.hash)
        let mac = seal.mac(of: hash)
        pending.append(session.send(
            """
            WITH appended AS (
                INSERT INTO audit_log (seq, at, actor, entity_type, entity_id, from_state, to_state, reason, payload, prev_hash, hash, mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            )
            UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1
            """,
            [sequence, at, event.actor, event.entityType, event.entityID, event.fromState, event.toState, event.reason, payload,
             head.hash, hash, mac, sequence, hash]))
        self.head = (sequence, hash)
        if AuditSeal.isWitnessed(sequence: sequence, event) { witnesses.append((sequence, hash, mac)) }
    }

    /// Wakes idle workers on every host once the transaction commits (`NOTIFY` is delivered at commit).
    func notifyWork(_ payload: String) throws {
        pending.append(session.send("SELECT pg_notify(?, ?)", [PostgresRunStore.workChannel, payload]))
    }
}
