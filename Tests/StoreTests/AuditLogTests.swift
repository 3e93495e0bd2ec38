import Foundation
import GRDB
import Store
import Testing

@Suite("The audit log: append-only, numbered, chained")
struct AuditLogTests {
    @Test("every state change writes an audit row, numbered without gaps")
    func rowsForChanges() throws {
        let fixture = try StoreFixture()
        try fixture.store.checkpoint(Checkpoint(runID: "run-1", stage: "login", state: .started), actor: "engine")
        _ = try fixture.store.updateRun(id: "run-1", actor: "engine", reason: nil) { $0.state = .succeeded }

        let log = try fixture.store.auditLog(entityType: nil, entityID: nil, limit: 100)

        #expect(log.map(\.sequence) == [1, 2, 3])
        #expect(log.map(\.entityType) == ["run", "stage", "run"])
        #expect(log.last?.fromState == "running")
        #expect(log.last?.toState == "succeeded")
        let verification = try fixture.store.verifyAuditLog()
        #expect(verification.rowsChecked == 3)
        #expect(verification.isIntact)
    }

    @Test("the database itself refuses UPDATE and DELETE on the audit log")
    func appendOnly() throws {
        let fixture = try StoreFixture()
        let pool = (try fixture.sqlite).database.pool

        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "UPDATE audit_log SET reason = 'nothing happened'") } }
        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "DELETE FROM audit_log") } }
        #expect(try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log") } == 1)
    }

    @Test("an edited row is detected by verify, even when the triggers were dropped to make the edit")
    func editDetected() throws {
        let fixture = try StoreFixture()
        try fixture.addItems(3)
        try (try fixture.sqlite).database.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_refuses_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'operator:mallory' WHERE seq = 3")
        }

        let verification = try fixture.store.verifyAuditLog()

        #expect(!verification.isIntact)
        #expect(verification.problem?.contains("row 3 was changed") == true)
    }

    @Test("a deleted row is detected by verify as a gap")
    func gapDetected() throws {
        let fixture = try StoreFixture()
        try fixture.addItems(3)
        try (try fixture.sqlite).database.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_refuses_delete")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 2")
        }

        #expect(try fixture.store.verifyAuditLog().problem == "row 2 is missing: the next row is 3")
    }
}
