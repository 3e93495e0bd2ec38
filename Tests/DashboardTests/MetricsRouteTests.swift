import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@Suite("/metrics for monitoring")
struct MetricsRouteTests {
    @Test("counts runs by flow and state, items by state and the exception queue, in Prometheus text, without a session")
    func metrics() async throws {
        let harness = try await DashboardHarness.make()
        let items = try harness.store.items(runID: "run-1", states: [])
        let exceptions = items.filter { $0.state == .error || $0.state == .needsReview }.count
        try await harness.test { client in
            let page = try await client.get("/metrics")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(page.body.contains("ferry_runs_total{flow=\"clinic-daily-sync\",state=\"needs_review\"} 1"))
            #expect(page.body.contains("ferry_items{state=\"needs_review\"} \(items.filter { $0.state == .needsReview }.count)"))
            #expect(page.body.contains("ferry_queue_depth{queue=\"exceptions\"} \(exceptions)"))
            #expect(!page.body.contains("<script>"))
            // Every sample line is a metric name, labels and a number.
            for line in page.body.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.range(of: #"^ferry_[a-z_]+(\{[^}]*\})? [0-9.]+$"#, options: .regularExpression) != nil, "\(line)")
            }
        }
    }
}
