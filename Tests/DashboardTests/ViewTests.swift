import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@Suite("Views: every page renders for a viewer, escapes foreign data, and carries the security headers")
struct ViewTests {
    static let pages = ["/", "/activity", "/activity?kind=runs", "/activity?kind=items&state=needs_review&q=A-2", "/exceptions", "/runs/run-1",
                        "/items/2", "/items/3", "/trigger"]

    @Test("each view answers 200 with a strict Content-Security-Policy, the server's time in Server-Timing, and no raw <script> from a payload")
    func views() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            for path in Self.pages {
                let page = try await client.get(path, cookie: session.cookie)
                #expect(page.status == .ok, "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(path)")
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                // scripts/dashboard-load reads it to tell the server's time from time waiting for the CPU.
                let timing = page.headers[.init("Server-Timing")!] ?? ""
                #expect(timing.wholeMatch(of: /app;dur=\d+\.\d{2}/) != nil, "\(path): Server-Timing '\(timing)'")
                #expect(!page.body.contains("<script>alert"), "\(path) echoes the hostile payload unescaped")
            }
        }
    }

    @Test("the hostile field is shown, escaped, on the item, its run, the queue and the activity list")
    func escaped() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            for path in ["/items/\(harness.id("A-2"))", "/runs/run-1", "/exceptions", "/activity"] {
                let page = try await client.get(path, cookie: session.cookie)
                #expect(page.body.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"), "\(path)")
            }
        }
    }

    @Test("an item being worked says which worker on which host holds it: on its run, the activity list and its own page")
    func heldBy() async throws {
        let harness = try await DashboardHarness.make()
        // A-4 is claimed by worker 2 of process 4121 on host web-3 (a `ferry worker` elsewhere).
        _ = try harness.store.claimItem(runID: "run-1", worker: "web-3:4121/worker:2", leaseExpiredBefore: .distantPast)
        #expect(try harness.store.item(id: harness.id("A-4"))?.claimedBy == "web-3:4121/worker:2")
        try await harness.test { client in
            let session = try await client.signIn("victor")
            for path in ["/runs/run-1", "/activity", "/items/\(harness.id("A-4"))"] {
                let page = try await client.get(path, cookie: session.cookie)
                #expect(page.body.contains("worker 2 on host web-3 (process 4121)"), "\(path)")
            }
            // A finished item is held by nobody.
            let done = try await client.get("/items/\(harness.id("A-1"))", cookie: session.cookie)
            #expect(!done.body.contains("Held by"))
        }
    }

    @Test("live status shows the counts by state, and status.json the same figures")
    func liveStatus() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let page = try await client.get("/", cookie: session.cookie)
            #expect(page.body.contains("data-live=\"needs_review\">2<"))
            #expect(page.body.contains("data-live=\"error\">1<"))
            #expect(page.body.contains("data-live=\"new\">1<"))
            #expect(page.body.contains("clinic-daily-sync"))
            let json = try await client.get("/status.json", cookie: session.cookie)
            #expect(json.body == "{\"done_today\":1,\"error\":1,\"needs_review\":2,\"new\":1,\"processing\":0}")
        }
    }

    @Test("the exception queue groups reasons that differ only in numbers, with the screenshot inline")
    func exceptionQueue() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let page = try await client.get("/exceptions", cookie: session.cookie)
            #expect(page.body.contains("<span class=\"count\">2</span> Billing line # has no amount"))
            #expect(page.body.contains("<span class=\"count\">1</span> the ledger answered HTTP #"))
            #expect(page.body.contains("<img src=\"/artifacts/\(harness.screenshotID)\""))
            // A viewer sees no action buttons.
            #expect(!page.body.contains("/retry\""))
        }
    }

    @Test("an operator sees the actions; the detail page shows payload, captured values, artifacts and the audit log")
    func details() async throws {
        let harness = try await DashboardHarness.make()
        // A second run whose id starts like the first: none of its rows belong on run-1's page.
        _ = try harness.store.createRun(
            RunRecord(id: "run-10", flow: "clinic-daily-sync", flowPath: "x.yaml", inputs: [:], trigger: .cli, triggeredBy: "cli:other"),
            actor: "cli:other")
        _ = try harness.store.addItems([NewWorkItem(key: "Z-1", payload: [:], reviewReason: "belongs to run ten")], runID: "run-10", actor: "engine")
        try await harness.test { client in
            let session = try await client.signIn("alice")
            let queue = try await client.get("/exceptions", cookie: session.cookie)
            #expect(queue.body.contains("action=\"/items/\(harness.id("A-2"))/retry\""))
            let item = try await client.get("/items/\(harness.id("A-2"))", cookie: session.cookie)
            #expect(item.body.contains("name=\"field.amount\""))
            #expect(item.body.contains("Audit log"))
            #expect(item.body.contains("Billing line 7 has no amount"))
            let run = try await client.get("/runs/run-1", cookie: session.cookie)
            #expect(run.body.contains("report_rows"))
            #expect(run.body.contains("enter-A-2.html"))
            #expect(run.body.contains("Retry the run"))
            // Its audit log: the run's rows, its items' rows, its artifacts' rows; not another run's.
            #expect(run.body.contains("captured report_rows"))
            #expect(run.body.contains("Billing line 9 has no amount"))
            #expect(run.body.contains("saved \(harness.folder)/screenshots/run-1/enter-A-2.png"))
            #expect(!run.body.contains("belongs to run ten"))
            #expect(!run.body.contains("cli:other"))
        }
    }

    @Test("an interrupted run is not shown running: it has its own state, and an operator can retry (resume) it")
    func interruptedRun() async throws {
        let harness = try await DashboardHarness.make()
        _ = try harness.store.createRun(
            RunRecord(id: "run-20", flow: "other-flow", flowPath: "x.yaml", inputs: [:], trigger: .cli, triggeredBy: "cli:bob"),
            actor: "cli:bob")
        _ = try harness.store.updateRun(id: "run-20", actor: "engine", reason: "stopped by SIGTERM") {
            $0.state = .interrupted
            $0.failure = "stopped by SIGTERM"
        }
        try await harness.test { client in
            let session = try await client.signIn("alice")
            let status = try await client.get("/", cookie: session.cookie)
            #expect(!status.body.contains("<a href=\"/runs/run-20\">run-20</a></td><td>other-flow</td><td>"), "shown as in progress")
            #expect(status.body.contains("state interrupted"))
            let run = try await client.get("/runs/run-20", cookie: session.cookie)
            #expect(run.body.contains("interrupted"))
            #expect(run.body.contains("Retry the run"))
        }
    }

    @Test("activity pages through results, newest first, and filters by state and text")
    func activity() async throws {
        let harness = try await DashboardHarness.make()
        _ = try harness.store.addItems((1...30).map { NewWorkItem(key: "B-\($0)", payload: ["n": String($0)]) }, runID: "run-1", actor: "engine")
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let first = try await client.get("/activity?kind=items", cookie: session.cookie)
            #expect(first.body.contains("35 found · page 1 of 2"))
            #expect(first.body.contains("Older →"))
            let second = try await client.get("/activity?kind=items&page=2", cookie: session.cookie)
            #expect(second.body.contains("page 2 of 2"))
            let filtered = try await client.get("/activity?kind=items&state=error", cookie: session.cookie)
            #expect(filtered.body.contains("1 found"))
            #expect(filtered.body.contains("A-3"))
        }
    }

    @Test("artifacts are served only from the run's folders: screenshots inline, page sources as text, nothing outside")
    func artifacts() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client in
            let session = try await client.signIn("victor")
            let shot = try await client.get("/artifacts/\(harness.screenshotID)", cookie: session.cookie)
            #expect(shot.status == .ok)
            #expect(shot.headers[.contentType] == "image/png")
            let source = try await client.get("/artifacts/\(harness.pageSourceID)", cookie: session.cookie)
            #expect(source.status == .ok)
            #expect(source.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(source.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            for id in [harness.outsideID, harness.symlinkID, 9999] {
                let refused = try await client.get("/artifacts/\(id)", cookie: session.cookie)
                #expect(refused.status == .notFound, "artifact \(id)")
                #expect(!refused.body.contains("secret outside"))
            }
            #expect(try await client.get("/artifacts/..%2F..%2Foutside.txt", cookie: session.cookie).status == .notFound)
            // Ferry's own reports (a run report, a shadow comparison) render in the dashboard.
            let report = try await client.get("/artifacts/\(harness.reportID)", cookie: session.cookie)
            #expect(report.status == .ok)
            #expect(report.headers[.contentType] == "text/html; charset=utf-8")
            #expect(report.headers[.contentDisposition]?.hasPrefix("inline") == true)
        }
    }
}
