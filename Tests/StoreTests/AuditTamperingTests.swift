import Crypto
import Foundation
import GRDB
import Store
import Testing

/// Someone with write access to the database file, who knows how the chain is computed (it is in the
/// source), tries to hide or forge rows.
@Suite("Audit tampering: caught by verify through the key and witness files outside the database")
struct AuditTamperingTests {
    /// The chain's row hash, as Ferry computes it (public knowledge: the source is open).
    static func rowHash(_ row: Row) -> String {
        let fields: [String] = [
            row["prev_hash"], String(row["seq"] as Int64), row["at"], row["actor"], row["entity_type"], row["entity_id"],
            (row["from_state"] as String?) ?? "\u{0}", (row["to_state"] as String?) ?? "\u{0}", (row["reason"] as String?) ?? "\u{0}",
            (row["payload"] as String?) ?? "\u{0}",
        ]
        return SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A store whose run has finished (its end witnessed), with some rows after.
    static func finishedStore() throws -> StoreFixture {
        let fixture = try StoreFixture()
        try fixture.addItems(5)
        _ = try fixture.store.updateRun(id: fixture.run.id, actor: "engine", reason: nil) {
            $0.state = .succeeded
            $0.finishedAt = Date()
        }
        #expect(try fixture.store.verifyAuditLog().isIntact)
        return fixture
    }

    static func dropTriggers(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_refuses_update; DROP TRIGGER IF EXISTS audit_log_refuses_delete")
    }

    @Test("deleting the last rows is caught")
    func deleteLastRows() throws {
        let fixture = try Self.finishedStore()
        try (try fixture.sqlite).database.pool.write { db in
            try Self.dropTriggers(db)
            let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_log") ?? 0
            try db.execute(sql: "DELETE FROM audit_log WHERE seq > ?", arguments: [last - 2])
        }
        let verification = try fixture.store.verifyAuditLog()
        #expect(!verification.isIntact)
        #expect(verification.problem?.contains("rows were deleted") == true, "\(verification.problem ?? "")")
    }

    @Test("a forged row appended with a correctly recomputed hash is caught")
    func forgedInsert() throws {
        let fixture = try Self.finishedStore()
        try (try fixture.sqlite).database.pool.write { db in
            let last = try #require(try Row.fetchOne(db, sql: "SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1"))
            let seq = (last["seq"] as Int64) + 1
            let forged = Row([
                "prev_hash": last["hash"] as String, "seq": seq, "at": last["at"] as String, "actor": "operator:alice", "entity_type": "item",
                "entity_id": "3", "from_state": "error", "to_state": "done", "reason": "marked done: fixed by phone", "payload": nil as String?,
            ])
            try db.execute(
                sql: "INSERT INTO audit_log (seq, at, actor, entity_type, entity_id, from_state, to_state, reason, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [seq, forged["at"], forged["actor"], forged["entity_type"], forged["entity_id"], forged["from_state"], forged["to_state"],
                            forged["reason"], nil, forged["prev_hash"], Self.rowHash(forged)])
        }
        let verification = try fixture.store.verifyAuditLog()
        #expect(!verification.isIntact)
        #expect(verification.problem?.contains("was not written by Ferry") == true, "\(verification.problem ?? "")")
    }

    @Test("editing a row and recomputing every hash after it is caught")
    func editAndRehash() throws {
        let fixture = try Self.finishedStore()
        try (try fixture.sqlite).database.pool.write { db in
            try Self.dropTriggers(db)
            try db.execute(sql: "UPDATE audit_log SET actor = 'operator:mallory' WHERE seq = 2")
            var previous: String? = nil
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq") {
                var values = Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
                if let previous { values["prev_hash"] = previous.databaseValue }
                let hash = Self.rowHash(Row(values))
                try db.execute(sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [values["prev_hash"], hash, row["seq"] as Int64])
                previous = hash
            }
        }
        let verification = try fixture.store.verifyAuditLog()
        #expect(!verification.isIntact)
        #expect(verification.problem?.contains("was not written by Ferry") == true || verification.problem?.contains("rewritten") == true,
                "\(verification.problem ?? "")")
    }

    @Test("a missing key or witness file is reported, not passed")
    func missingFiles() throws {
        let fixture = try Self.finishedStore()
        try FileManager.default.removeItem(atPath: fixture.path + ".audit-witness")
        #expect(try fixture.store.verifyAuditLog().problem?.contains("witness file") == true)
        try FileManager.default.removeItem(atPath: fixture.path + ".audit-key")
        let reopened = try SQLiteRunStore(path: fixture.path)
        #expect(try reopened.verifyAuditLog().problem?.contains("key file") == true)
    }

    @Test("an untouched store verifies, and says how far its anchor reaches")
    func intact() throws {
        let fixture = try Self.finishedStore()
        let verification = try fixture.store.verifyAuditLog()
        #expect(verification.isIntact)
        #expect(verification.sealedAfter == 0)
        #expect(verification.lastWitnessed == Int64(verification.rowsChecked))
    }
}
