import GRDB

/// The store's schema, one migration per version. A released migration is never edited: add a new one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.create(table: "store_info") { table in
                table.column("key", .text).primaryKey()
                table.column("value", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO store_info (key, value) VALUES ('created_by', 'ferry')")
        }
        migrator.registerMigration("v2-runs") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    flow TEXT NOT NULL,
                    flow_path TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'needs_review', 'failed')),
                    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'operator', 'cli')),
                    triggered_by TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    current_stage TEXT,
                    current_step TEXT,
                    failure TEXT,
                    process_group INTEGER
                );
                CREATE INDEX runs_by_flow ON runs (flow, started_at);

                CREATE TABLE checkpoints (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    step INTEGER NOT NULL DEFAULT -1,
                    item_key TEXT NOT NULL DEFAULT '',
                    state TEXT NOT NULL CHECK (state IN ('started', 'completed', 'failed', 'skipped')),
                    attempt INTEGER NOT NULL,
                    updated_at TEXT NOT NULL,
                    detail TEXT,
                    PRIMARY KEY (run_id, stage, step, item_key)
                );

                CREATE TABLE variables (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, name)
                );

                CREATE TABLE artifacts (
                    id INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    kind TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    stage TEXT,
                    step INTEGER,
                    item_key TEXT,
                    name TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX artifacts_by_run ON artifacts (run_id);

                CREATE TABLE work_items (
                    id INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    key TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('new', 'processing', 'done', 'error', 'needs_review')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    claimed_by TEXT,
                    claimed_at TEXT,
                    updated_at TEXT NOT NULL,
                    UNIQUE (run_id, key)
                );
                CREATE INDEX work_items_queue ON work_items (run_id, state, id);
                CREATE INDEX work_items_by_state ON work_items (state);

                CREATE TABLE side_effects (
                    key TEXT PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    item_key TEXT,
                    state TEXT NOT NULL CHECK (state IN ('intended', 'done')),
                    result TEXT,
                    created_at TEXT NOT NULL,
                    completed_at TEXT
                );

                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    entity_type TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT,
                    reason TEXT,
                    payload TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX audit_by_entity ON audit_log (entity_type, entity_id, seq);

                CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed'); END;
                CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be deleted'); END;
                """)
        }
        migrator.registerMigration("v3-operators") { db in
            try db.execute(sql: """
                CREATE TABLE operator_users (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                    password_hash TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );

                CREATE TABLE operator_sessions (
                    token_hash TEXT PRIMARY KEY,
                    user_name TEXT NOT NULL REFERENCES operator_users(name) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                );

                CREATE TABLE flow_schedules (
                    flow TEXT PRIMARY KEY,
                    paused INTEGER NOT NULL DEFAULT 0,
                    every_seconds INTEGER,
                    next_due TEXT,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX work_items_by_update ON work_items (updated_at);
                """)
        }
        registerSchedules(in: &migrator)
        // Effects are confirmed by the steps that verify them: a state between the intent and done.
        migrator.registerMigration("v5-effects") { db in
            try db.execute(sql: """
                CREATE TABLE side_effects_v5 (
                    key TEXT PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    item_key TEXT,
                    state TEXT NOT NULL CHECK (state IN ('intended', 'acted', 'unconfirmed', 'done')),
                    result TEXT,
                    detail TEXT,
                    created_at TEXT NOT NULL,
                    acted_at TEXT,
                    completed_at TEXT
                );
                INSERT INTO side_effects_v5 (key, run_id, stage, step, item_key, state, result, created_at, completed_at)
                    SELECT key, run_id, stage, step, item_key, state, result, created_at, completed_at FROM side_effects;
                DROP TABLE side_effects;
                ALTER TABLE side_effects_v5 RENAME TO side_effects;
                CREATE INDEX side_effects_by_item ON side_effects (item_key);
                CREATE INDEX side_effects_by_run ON side_effects (run_id);
                """)
        }
        registerRunOrigin(in: &migrator)
        // Keep v6-security after every other migration (it is self-contained: new columns and a new table).
        registerSecurity(in: &migrator)
        return migrator
    }
}
