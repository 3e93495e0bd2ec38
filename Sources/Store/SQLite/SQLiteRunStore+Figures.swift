import GRDB

extension SQLiteRunStore {
    public func runCounts() throws(StoreError) -> [(flow: String, state: RunState, count: Int)] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT flow, state, COUNT(*) AS n FROM runs GROUP BY flow, state ORDER BY flow, state")).compactMap { row in
                guard let state = RunState(rawValue: row["state"]) else { return nil }
                return (flow: row["flow"], state: state, count: row["n"])
            }
        }
    }
}
