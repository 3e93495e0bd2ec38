import Foundation
import NIOCore
import PostgresNIO
import Store

/// One write transaction on a session: its statements, and the audit chain's head once taken.
///
/// **How an audited write keeps the chain head short.** Every audited write serialises on the head row
/// (see ``PostgresRunStore``), so what counts is how long each holds it. PostgresNIO answers statements
/// one after another on its event loop, so statements sent without waiting cost the server's round trip
/// but not a wake-up of the calling thread. An audited transaction therefore sends `BEGIN` and the head's
/// `SELECT … FOR UPDATE` (which also sets `synchronous_commit` off for this transaction) at once, then
/// its own statements; the calling thread first waits for the answer it needs (a claim's row), by when
/// the head has arrived too. Its audit rows, `COMMIT` and a flush go out together at the end.
///
/// **Durable, with the head released before the disk write when others wait for it.** The head is
/// released when the transaction ends; with `synchronous_commit` on that is after the commit's WAL
/// flush, so audited writes on every host would each wait for the previous one's disk write. So when
/// other audited writes of this process are under way (``releasesHeadEarly``), the transaction commits
/// asynchronously and releases the head as soon as its commit record is in the WAL buffers; the
/// statement sent after `COMMIT` (a transactional `pg_logical_emit_message`, which writes WAL under an
/// XID of its own) then commits with the server's own `synchronous_commit`, so it waits until the WAL up
/// to itself — the write's commit included — is flushed (or replicated, as the server requires). The call
/// returns only then, so what the caller was told is on disk is on disk; since WAL is flushed in order, a
/// later write chained on this one's head can never survive a crash that loses this one; and concurrent
/// flushes share one disk write. A write with nobody waiting commits synchronously: one statement fewer.
final class PostgresTransaction {
    let session: PostgresSession
    let seal: AuditSeal
    /// Whether the transaction takes the chain head first.
    let audited: Bool
    /// Whether it commits asynchronously and then waits for the flush (see the type's comment).
    let releasesHeadEarly: Bool
    private var head: (sequence: Int64, hash: String)?
    /// The head's row, asked for at `BEGIN` and read when the first audit row needs it.
    private var headAnswer: EventLoopFuture<PostgresQueryResult>?
    /// Heads to write to the witness file once the transaction has committed.
    private(set) var witnesses: [(sequence: Int64, hash: String, mac: String?)] = []

    /// Statements sent without waiting (BEGIN, audit rows, notifications); their answers are checked at the end.
    private var pending: [EventLoopFuture<PostgresQueryResult>] = []

    /// Begins a transaction on `session`; an `audited` one also takes the chain head before any statement
    /// of its own runs (all sent, none waited for), and commits asynchronously then waits for the flush
    /// when `releasesHeadEarly`.
    init(session: PostgresSession, seal: AuditSeal, audited: Bool, releasesHeadEarly: Bool = false) {
        self.session = session
        self.seal = seal
        self.audited = audited
        self.releasesHeadEarly = audited && releasesHeadEarly
        pending.append(session.send("BEGIN"))
        if audited {
            // One statement takes the head and, when asked, makes this transaction's commit asynchronous
            // (`set_config` with `is_local`: for this transaction only).
            let answer = session.send(
                self.releasesHeadEarly
                    ? "SELECT seq, hash, set_config('synchronous_commit', 'off', true) AS commit_mode FROM audit_head WHERE id = 1 FOR UPDATE"
                    : "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
            pending.append(answer)
            headAnswer = answer
        }
    }

    /// Commits: sends COMMIT (and after an asynchronous one the flush that makes it durable), then checks every
    /// statement sent without waiting; the first failure is the error (PostgreSQL answers COMMIT in a
    /// failed transaction with ROLLBACK, not an error).
    func commit() throws {
        let committed = session.send("COMMIT")
        let flushed = releasesHeadEarly ? session.send(Self.flushStatement) : nil
        for answer in pending { _ = try answer.wait() }
        pending = []
        let tag = try committed.wait().metadata.command
        guard tag == "COMMIT" else {
            _ = try? flushed?.wait()
            throw StoreError(code: .databaseFailure, path: "the PostgreSQL store", message: "the transaction was rolled back by the server (\(tag))")
        }
        do {
            _ = try flushed?.wait()
        } catch where ["42501", "42883"].contains(PostgresSession.sqlState(error) ?? "") {
            // A server that does not let this user emit WAL messages: a no-op update of the head, committed
            // synchronously on its own, flushes the WAL as well (it waits for the head like any write).
            try session.execute(Self.fallbackFlushStatement)
        }
    }

    /// Runs on its own after an asynchronous COMMIT: it writes WAL under an XID of its own, so its
    /// commit waits (under the server's `synchronous_commit`) for the WAL up to it, the write's included.
    static let flushStatement = "SELECT pg_logical_emit_message(true, 'ferry', 'durable')"
    /// The same, where ``flushStatement`` is not allowed (insufficient privilege, no such function).
    static let fallbackFlushStatement = "UPDATE audit_head SET seq = seq WHERE id = 1"

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

    /// The chain's head row, taken for this transaction (every other audited write, on any host, waits
    /// for it): asked for at `BEGIN` in an audited transaction, read here when first needed.
    func lockChainHead() throws {
        guard head == nil else { return }
        let answer = headAnswer ?? session.send("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        guard let row = try answer.wait().rows.first?.makeRandomAccess() else {
            throw StoreError(code: .databaseFailure, path: "audit_head", message: "the audit chain's head row is missing; run `ferry store migrate`")
        }
        head = (try row.int64("seq"), try row.text("hash"))
    }

    /// Appends one audit row, numbered and chained to the head, and moves the head to it (one statement).
    func appendAudit(_ event: AuditEvent, at date: Date = Date()) throws {
        try appendAudit([(event, date)])
    }

    /// Appends audit rows in order, each numbered and chained to the one before, and moves the head to the
    /// last: one statement however many (a batch of claims writes its rows at once).
    func appendAudit(_ events: [(event: AuditEvent, at: Date)]) throws {
        guard !events.isEmpty else { return }
        try lockChainHead()
        guard var head else { return }
        var values: [String] = []
        var arguments: [any SQLArgument] = []
        for (event, date) in events {
            let sequence = head.sequence + 1
            let at = StoreTimestamp.string(date)
            let payload = event.payload.isEmpty ? nil : StoreJSON.text(event.payload)
            let hash = AuditChain.hash(
                sequence: sequence, at: at, actor: event.actor, entityType: event.entityType, entityID: event.entityID,
                fromState: event.fromState, toState: event.toState, reason: event.reason, payload: payload, previousHash: head.hash)
            let mac = seal.mac(of: hash)
            values.append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            arguments += [sequence, at, event.actor, event.entityType, event.entityID, event.fromState, event.toState, event.reason, payload,
                          head.hash, hash, mac] as [any SQLArgument]
            if AuditSeal.isWitnessed(sequence: sequence, event) { witnesses.append((sequence, hash, mac)) }
            head = (sequence, hash)
        }
        pending.append(session.send(
            """
            WITH appended AS (
                INSERT INTO audit_log (seq, at, actor, entity_type, entity_id, from_state, to_state, reason, payload, prev_hash, hash, mac)
                VALUES \(values.joined(separator: ", "))
            )
            UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1
            """,
            arguments + [head.sequence, head.hash]))
        self.head = head
    }

    /// Wakes idle workers on every host once the transaction commits (`NOTIFY` is delivered at commit).
    func notifyWork(_ payload: String) throws {
        pending.append(session.send("SELECT pg_notify(?, ?)", [PostgresRunStore.workChannel, payload]))
    }
}
