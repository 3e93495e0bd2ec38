import Dashboard
import Foundation
import GRDB
import Store
import Testing

/// The dashboard's views stay a bounded amount of work on a big store: what they read and render does not
/// grow with every run the store keeps, and what they leave out is still named.
/// (How fast they answer is measured by `scripts/dashboard-load`, not here.)
@Suite("Bounded views: the work behind a page does not grow with the store, and nothing is lost from sight")
struct BoundedViewTests {
    /// `count` finished runs of `flow`, all newer than the harness's run, in one transaction (a store that
    /// has kept months of runs, written quickly).
    static func addRuns(_ count: Int, flow: String, to store: SQLiteRunStore) throws {
        try store.database.pool.write { db in
            for index in 0..<count {
                let started = StoreTimestamp.string(Date().addingTimeInterval(Double(index + 1)))
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, flow, flow_path, inputs, state, trigger, triggered_by, started_at, finished_at)
                        VALUES (?, ?, 'x.yaml', '{}', 'succeeded', 'schedule', 'scheduler', ?, ?)
                        """,
                    arguments: ["\(flow)-\(index)", flow, started, started])
            }
        }
    }

    @Test("the activity filter and the live status name every flow that has run, also one whose runs are older than a thousand others")
    func everyFlowNamed() async throws {
        let harness = try await DashboardHarness.make()
        // run-1 (clinic-daily-sync) is the oldest; a busy flow has run a thousand times since.
        try Self.addRuns(1_000, flow: "busy-flow", to: harness.store)
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let activity = try await client.get("/activity", cookie: session.cookie)
            #expect(activity.body.contains("<option value=\"clinic-daily-sync\""), "the filter lost the flow whose runs are older")
            #expect(activity.body.contains("<option value=\"busy-flow\""))
            let status = try await client.get("/", cookie: session.cookie)
            #expect(status.body.contains("href=\"/runs/run-1\""), "the live status lost the flow whose last run is older")
            #expect(status.body.contains("href=\"/runs/busy-flow-999\""), "a flow's latest run is the one shown")
            #expect(!status.body.contains("href=\"/runs/busy-flow-998\""))
        }
    }

    @Test("a run's page lists its newest 100 audit rows and says where the rest are")
    func runPageAuditRows() async throws {
        let harness = try await DashboardHarness.make()
        for index in 1...150 {
            try harness.store.appendAudit(AuditEvent(actor: "engine", entityType: "run", entityID: "run-1", reason: "note \(index) of 150"))
        }
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let page = try await client.get("/runs/run-1", cookie: session.cookie)
            let table = page.body.components(separatedBy: "<table class=\"audit\">").last?.components(separatedBy: "</table>").first ?? ""
            #expect(table.components(separatedBy: "<tr class=").count - 1 == 100)
            #expect(table.contains("note 150 of 150"), "the newest row is shown")
            #expect(!table.contains("note 50 of 150"), "rows beyond the newest 100 are left to `ferry show`")
            #expect(page.body.contains("`ferry show run-1` lists them all"))
        }
    }

    @Test("a run's page reloaded shows the rows written since, and renders hostile audit text escaped every time")
    func reloadedRunPage() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let first = try await client.get("/runs/run-1", cookie: session.cookie)
            try harness.store.appendAudit(AuditEvent(actor: "engine", entityType: "run", entityID: "run-1", reason: "late <b>note</b>"))
            try harness.store.recordArtifact(
                Artifact(runID: "run-1", kind: .download, path: harness.folder + "/runs/run-1/files/late.csv", size: 5,
                         sha256: String(repeating: "c", count: 64), name: "late.csv"),
                actor: "engine")
            for _ in 1...2 {
                let again = try await client.get("/runs/run-1", cookie: session.cookie)
                #expect(!first.body.contains("late &lt;b&gt;note"))
                #expect(again.body.contains("late &lt;b&gt;note&lt;/b&gt;"))
                #expect(!again.body.contains("<b>note"))
                #expect(again.body.contains(">late.csv</a>"))
                #expect(again.body.contains("enter-A-2.png"), "the rows rendered before are still listed")
            }
        }
    }

    @Test("a run's page reloaded after its items and steps changed shows them as they are now")
    func changedRowsOnReload() async throws {
        let harness = try await DashboardHarness.make()
        try harness.store.checkpoint(Checkpoint(runID: "run-1", stage: "enter_in_ledger", step: 2, state: .started, attempt: 1), actor: "engine")
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let before = try await client.get("/runs/run-1", cookie: session.cookie)
            #expect(before.body.contains("<td>enter_in_ledger · step 3</td><td>started</td>"))
            #expect(before.body.contains("<span class=\"state new\">new</span>"), "A-4 is new")
            _ = try harness.store.finishItem(id: harness.id("A-4"), state: .done, reason: nil, actor: "worker:1")
            try harness.store.checkpoint(Checkpoint(runID: "run-1", stage: "enter_in_ledger", step: 2, state: .completed, attempt: 1), actor: "engine")
            let after = try await client.get("/runs/run-1", cookie: session.cookie)
            #expect(after.body.contains("<td>enter_in_ledger · step 3</td><td>completed</td>"))
            #expect(!after.body.contains("<td>enter_in_ledger · step 3</td><td>started</td>"))
            #expect(!after.body.contains("<span class=\"state new\">new</span>"), "A-4 is done now")
        }
    }

    @Test("artifact sizes read as a person writes them")
    func artifactSizes() async throws {
        let harness = try await DashboardHarness.make()
        for (name, size) in [("one", 1), ("small", 999), ("page", 31_376), ("big", 1_234_567), ("huge", 1_234_567_890)] {
            try harness.store.recordArtifact(
                Artifact(runID: "run-1", kind: .download, path: harness.folder + "/runs/run-1/files/\(name).bin", size: size,
                         sha256: String(repeating: "b", count: 64), name: name),
                actor: "engine")
        }
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let page = try await client.get("/runs/run-1", cookie: session.cookie)
            for size in ["40 bytes", "1 byte", "999 bytes", "31 KB", "1.2 MB", "1.23 GB"] {
                #expect(page.body.contains(" · \(size) · "), "\(size)")
            }
        }
    }
}
