import GRDB

extension StoreSchema {
    /// `v5-run-origin`: a run keeps where it came from, so it resumes from any folder and notices an
    /// edited flow (the flow's digest and outline, its `--runs` and `--screenshots` folders); and a run
    /// stopped by a signal can be recorded `interrupted`.
    ///
    /// SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way its documentation
    /// says (https://www.sqlite.org/lang_altertable.html#otheralter), with foreign keys off during the
    /// migration (GRDB's default) and checked before it commits. Existing rows keep every value; their new
    /// columns stay NULL, which a resume reads as "recorded by an older Ferry".
    static func registerRunOrigin(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-run-origin") { db in
            try db.execute(sql: """
                CREATE TABLE runs_v5 (
                    id TEXT PRIMARY KEY,
                    flow TEXT NOT NULL,
                    flow_path TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'needs_review', 'failed', 'interrupted')),
                    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'operator', 'cli')),
                    triggered_by TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    current_stage TEXT,
                    current_step TEXT,
                    failure TEXT,
                    process_group INTEGER,
                    flow_sha256 TEXT,
                    flow_outline TEXT,
                    runs_directory TEXT,
                    screenshots_directory TEXT
                );
                INSERT INTO runs_v5 (id, flow, flow_path, inputs, state, trigger, triggered_by, started_at, finished_at,
                                     current_stage, current_step, failure, process_group)
                SELECT id, flow, flow_path, inputs, state, trigger, triggered_by, started_at, finished_at,
                       current_stage, current_step, failure, process_group
                FROM runs;
                DROP TABLE runs;
                ALTER TABLE runs_v5 RENAME TO runs;
                CREATE INDEX runs_by_flow ON runs (flow, started_at);
                """)
        }
    }
}
