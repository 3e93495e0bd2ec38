import Foundation
import Store

/// The figures a monitoring system scrapes, in Prometheus' text format: runs by flow and result,
/// work items by state, the queue a person has to work, and the stage durations of each flow's last
/// finished run.
public enum PrometheusMetrics {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func text(store: any OperatorStore) throws(StoreError) -> String {
        var lines: [String] = []
        lines += ["# HELP ferry_runs_total Runs by flow and how they ended (running: still going).", "# TYPE ferry_runs_total counter"]
        for (flow, state, count) in try store.runCounts() {
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
        for flow in Set(try store.runCounts().map(\.flow)).sorted() {
            if let last = try store.runs(flow: flow, limit: 20).first(where: { $0.finishedAt != nil }) { lastRuns.append(last) }
        }
        var reports: [RunReport] = []
        for run in lastRuns {
            if let report = try RunReport.load(runID: run.id, store: store) { reports.append(report) }
        }
        for report in reports {
            for stage in report.stages {
                guard let seconds = stage.duration else { continue }
                lines.append("ferry_stage_duration_seconds{flow=\"\(label(report.run.flow))\",stage=\"\(label(stage.name))\"} \(String(format: "%.3f", seconds))")
            }
        }
        lines += ["# HELP ferry_step_duration_seconds How long each step of each flow's last finished run took (per-item passes aside).", "# TYPE ferry_step_duration_seconds gauge"]
        for report in reports {
            for step in report.steps {
                lines.append("ferry_step_duration_seconds{flow=\"\(label(report.run.flow))\",stage=\"\(label(step.stage))\",step=\"\(step.step)\"} \(String(format: "%.3f", step.duration))")
            }
        }
        lines += ["# HELP ferry_last_run_finished_seconds When each flow's last finished run ended (Unix time).", "# TYPE ferry_last_run_finished_seconds gauge"]
        for run in lastRuns {
            guard let finished = run.finishedAt else { continue }
            lines.append("ferry_last_run_finished_seconds{flow=\"\(label(run.flow))\",state=\"\(run.state.rawValue)\"} \(Int(finished.timeIntervalSince1970))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value with its backslashes, quotes and line breaks escaped.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
