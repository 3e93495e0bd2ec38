import Foundation
import Store
import Synchronization

/// The figures a monitoring system scrapes, in Prometheus' text format: runs by flow and result,
/// work items by state, the queue a person has to work, and the stage durations of each flow's last
/// finished run.
public enum PrometheusMetrics {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func text(store: any OperatorStore) throws(StoreError) -> String {
        var lines: [String] = []
        let runCounts = try store.runCounts()
        lines += ["# HELP ferry_runs_total Runs by flow and how they ended (running: still going).", "# TYPE ferry_runs_total counter"]
        for (flow, state, count) in runCounts {
            lines.append("ferry_runs_total{flow=\"\(label(flow))\",state=\"\(state.rawValue)\"} \(count)")
        }
        let items = try store.itemCounts()
        lines += ["# HELP ferry_items Work items of every run by state.", "# TYPE ferry_items gauge"]
        for state in ItemState.allCases {
            lines.append("ferry_items{state=\"\(state.rawValue)\"} \(items[state] ?? 0)")
        }
        lines += ["# HELP ferry_queue_depth Work items waiting: new or in progress, and the exception queue (error, needs_review).", "# TYPE ferry_queue_depth gauge"]
        lines.append("ferry_queue_depth{queue=\"work\"} \((items[.new] ?? 0) + (items[.processing] ?? 0))")
        lines.append("ferry_queue_depth{queue=\"exceptions\"} \((items[.error] ?? 0) + (items[.needsReview] ?? 0))")
        lines += [
            "# HELP ferry_stage_duration_seconds How long each stage of each flow's last finished run took.", "# TYPE ferry_stage_duration_seconds gauge",
        ]
        var lastRuns: [RunRecord] = []
        for flow in Set(runCounts.map(\.flow)).sorted() {
            if let last = try store.runs(flow: flow, limit: 20).first(where: { $0.finishedAt != nil }) { lastRuns.append(last) }
        }
        var durations: [Durations] = []
        for run in lastRuns {
            if let found = try self.durations(of: run, store: store) { durations.append(found) }
        }
        for found in durations { lines += found.stages }
        lines += ["# HELP ferry_step_duration_seconds How long each step of each flow's last finished run took (per-item passes aside).", "# TYPE ferry_step_duration_seconds gauge"]
        for found in durations { lines += found.steps }
        lines += ["# HELP ferry_last_run_finished_seconds When each flow's last finished run ended (Unix time).", "# TYPE ferry_last_run_finished_seconds gauge"]
        for run in lastRuns {
            guard let finished = run.finishedAt else { continue }
            lines.append("ferry_last_run_finished_seconds{flow=\"\(label(run.flow))\",state=\"\(run.state.rawValue)\"} \(Int(finished.timeIntervalSince1970))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The duration lines of one finished run: read from its report once, then from memory (a finished
    /// run does not change; a retried one finishes again at another time, which is another key).
    struct Durations: Sendable {
        let stages: [String]
        let steps: [String]
    }

    private static let cache = Mutex<[String: Durations]>([:])
    /// Held while a run's durations are read from its report, so scrapes that arrive together (a freshly
    /// started dashboard, several monitors) read it once instead of each reading it on the same cores.
    private static let reading = Mutex<Void>(())

    static func durations(of run: RunRecord, store: any OperatorStore) throws(StoreError) -> Durations? {
        let key = run.id + "|" + (run.finishedAt.map { String($0.timeIntervalSince1970) } ?? "")
        if let cached = cache.withLock({ $0[key] }) { return cached }
        return try reading.withLock { _ throws(StoreError) in try readDurations(of: run, key: key, store: store) }
    }

    private static func readDurations(of run: RunRecord, key: String, store: any OperatorStore) throws(StoreError) -> Durations? {
        if let cached = cache.withLock({ $0[key] }) { return cached }
        guard let report = try RunReport.load(runID: run.id, store: store) else { return nil }
        let flow = label(report.run.flow)
        let found = Durations(
            stages: report.stages.compactMap { stage in
                stage.duration.map { "ferry_stage_duration_seconds{flow=\"\(flow)\",stage=\"\(label(stage.name))\"} \(String(format: "%.3f", $0))" }
            },
            steps: report.steps.map { step in
                "ferry_step_duration_seconds{flow=\"\(flow)\",stage=\"\(label(step.stage))\",step=\"\(step.step)\"} \(String(format: "%.3f", step.duration))"
            })
        cache.withLock { cache in
            if cache.count > 1_000 { cache.removeAll() }
            cache[key] = found
        }
        return found
    }

    /// A label value with its backslashes, quotes and line breaks escaped.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
