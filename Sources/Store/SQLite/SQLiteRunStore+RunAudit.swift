import GRDB

extension SQLiteRunStore {
    public func auditLog(runID: String) throws(StoreError) -> [AuditEntry] {
        let escaped = runID.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE entity_id = ? OR entity_id LIKE ? ESCAPE '\\' ORDER BY seq",
                arguments: [runID, escaped + "/%"]
            ).map(Self.auditEntry)
        }
    }
}
