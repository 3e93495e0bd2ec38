import GRDB

extension StoreSchema {
    /// `v6-security`: the audit rows' MAC (see ``AuditSeal``), disabled accounts, and the sign-in
    /// throttle kept in the store (so a restart does not reset it and an admin can lift it).
    static func registerSecurity(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-security") { db in
            try db.execute(sql: """
                ALTER TABLE audit_log ADD COLUMN mac TEXT;
                ALTER TABLE operator_users ADD COLUMN disabled_at TEXT;
                -- The run page's audit rows by id (`RUN`, `RUN/stage/step`) without scanning the log.
                CREATE INDEX audit_by_entity_id ON audit_log (entity_id, seq);

                CREATE TABLE sign_in_throttle (
                    user_name TEXT NOT NULL,
                    address TEXT NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    window_start TEXT NOT NULL,
                    refused INTEGER NOT NULL DEFAULT 0,
                    signed_in INTEGER NOT NULL DEFAULT 0,
                    locked_until TEXT,
                    PRIMARY KEY (user_name, address)
                );
                """)
        }
    }
}
