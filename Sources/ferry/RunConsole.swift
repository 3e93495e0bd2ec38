import Engine
import Foundation
import Store
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Shows a run's progress: one live line (stage, step, items done/total, elapsed) on a terminal,
/// plain log lines otherwise, and a summary a person understands at the end.
final class RunConsole: Sendable {
    private struct State {
        var stage = ""
        var step = ""
        var done = 0
        var total = 0
        var runID = ""
    }

    private let live: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(verbose: Bool) {
        live = !verbose && isatty(STDOUT_FILENO) == 1
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(let runID, let flow, let resumed):
            state.withLock { $0.runID = runID }
            line("\(resumed ? "resuming" : "running") \(flow) as run \(runID)")
        case .stageStarted(let stage):
            state.withLock { $0.stage = stage; $0.step = "" }
            if !live { line("stage \(stage)") }
        case .stageSkipped(let stage, let reason):
            line("stage \(stage) skipped: \(reason)")
        case .stepStarted(let stage, let step, let name, let item):
            state.withLock { $0.stage = stage; $0.step = "\(step) \(name)" }
            if !live, item == nil { line("  step \(step): \(name)") }
        case .stepFailed(let stage, let step, let message, let willRetry):
            line("  \(stage) step \(step) failed\(willRetry ? ", retrying" : ""): \(message)")
        case .itemFinished(let key, let itemState, let done, let total, let reason):
            state.withLock { $0.done = done; $0.total = total }
            if !live || itemState != .done {
                line("  item \(key): \(itemState.rawValue)  (\(done)/\(total))" + (reason.map { ": \($0)" } ?? ""))
            }
        case .stageFinished(let stage):
            if !live { line("stage \(stage) done") }
        case .sessionRecovered(let reason):
            line("  logged in again: \(reason)")
        case .browserRestarted(let reason):
            line("  new browser: \(reason)")
        case .waitingForWorkers(let stage, let items, let reason):
            line("  \(stage): waiting for \(items) item(s): \(reason)")
        case .gateChecked(let name, let passed, let figures):
            line("  gate \(name) \(passed ? "passed" : "FAILED"): \(figures)")
        case .runFinished:
            break
        }
        if live { redraw() }
    }

    private func elapsed() -> String {
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    private func redraw() {
        let text = state.withLock { state in
            "\(state.stage) · step \(state.step)" + (state.total > 0 ? " · items \(state.done)/\(state.total)" : "") + " · \(elapsed())"
        }
        print("\r\u{1B}[2K" + String(text.prefix(120)), terminator: "")
        fflush(nil)  // all output streams; `stdout` itself is a mutable global Swift 6 rejects
    }

    private func line(_ text: String) {
        if live { print("\r\u{1B}[2K", terminator: "") }
        print(text)
        fflush(nil)
    }

    func fail(_ message: String) {
        line("error: \(message)")
    }

    /// The end of a run, in words: what happened, the items, where the evidence is, what to do next.
    func summary(_ outcome: RunOutcome, store: String) {
        let run = outcome.run
        if live { print("\r\u{1B}[2K", terminator: "") }
        print("")
        let verdict = switch run.state {
        case .succeeded: "succeeded: every item is done"
        case .needsReview: "finished, with items that need a person"
        case .failed: "FAILED"
        case .interrupted: "was interrupted (stopped by a signal); its items are back in the queue"
        case .running: "stopped"
        }
        print("Run \(run.id) \(verdict) (\(elapsed())).")
        let counts = outcome.itemCounts
        if !counts.isEmpty {
            let parts = ItemState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            print("  items: " + parts.joined(separator: ", "))
        }
        if let failure = run.failure { print("  why: \(failure)") }
        let evidence = outcome.artifacts.filter { ($0.kind == .screenshot || $0.kind == .pageSource) && $0.name == nil }
        if !evidence.isEmpty {
            print("  evidence: " + evidence.suffix(4).map(\.path).joined(separator: ", "))
        }
        if let report = outcome.artifacts.first(where: { $0.kind == .report && $0.name == "report.html" }) {
            print("  report: \(report.path)")
        }
        let ferry = FerryInvocation.command
        print("  details: \(ferry) show \(run.id) --db \(store)")
        if run.state == .failed || run.state == .interrupted {
            print("  continue\(run.state == .failed ? " after fixing the cause" : ""): \(ferry) resume \(run.id) --db \(store)")
        }
        if run.state == .needsReview { print("  the exception queue: \(ferry) items --state needs_review --state error --db \(store)") }
    }
}
