import Foundation
import Store

/// What one run did, gathered from the store for people and CI: stages with their timings, work
/// items, reconciliation gates, selector drift, and the failure with its evidence.
public struct RunReport: Sendable {
    public struct StageLine: Sendable {
        public var name: String
        public var state: String
        public var started: Date?
        public var finished: Date?
        /// Passes through the stage: its start, and each retry of the whole stage.
        public var attempts: Int
        public var detail: String?
        /// In a per-item stage: how many of the items that failed a step here ended in error or needs_review.
        public var itemsInError = 0
        public var itemsInReview = 0

        public var duration: TimeInterval? {
            guard let started, let finished else { return nil }
            return finished.timeIntervalSince(started)
        }
    }

    public struct GateLine: Sendable {
        public var name: String
        public var passed: Bool
        public var figures: String
    }

    /// How long one step of a stage took (its last attempt), outside per-item passes.
    public struct StepLine: Sendable {
        public var stage: String
        /// 1-based.
        public var step: Int
        public var duration: TimeInterval
    }

    public var run: RunRecord
    public var stages: [StageLine]
    public var steps: [StepLine]
    public var items: [WorkItem]
    public var gates: [GateLine]
    public var drift: [String]
    public var artifacts: [Artifact]
    /// The changes the run made to target systems, with their state (intended, acted, unconfirmed, done).
    public var effects: [SideEffect]

    /// Reads everything the report shows about `runID`; nil when there is no such run.
    public static func load(runID: String, store: any RunStore) throws(StoreError) -> RunReport? {
        guard let run = try store.run(id: runID) else { return nil }
        return try RunReport(run: run, store: store)
    }

    private init(run: RunRecord, store: any RunStore) throws(StoreError) {
        let runID = run.id
        self.run = run
        let audit = try store.auditLog(runID: runID)
        var stages: [String: StageLine] = [:]
        var order: [String] = []
        var gates: [GateLine] = []
        var stepStarts: [String: Date] = [:]
        var steps: [StepLine] = []
        // Per-item stages: the items that failed a step in each stage.
        var failedItems: [String: Set<String>] = [:]
        for entry in audit {
            switch entry.entityType {
            case "step":
                let path = String(entry.entityID.dropFirst(runID.count + 1))
                if let at = path.firstIndex(of: "@"), entry.toState == "failed", let slash = path[..<at].lastIndex(of: "/") {
                    failedItems[String(path[..<slash]), default: []].insert(String(path[path.index(after: at)...]))
                }
                guard !path.contains("@"), let slash = path.lastIndex(of: "/"), let number = Int(path[path.index(after: slash)...]) else { continue }
                if entry.toState == "started" {
                    stepStarts[path] = entry.at
                } else if entry.toState == "completed", let start = stepStarts[path] {
                    steps.removeAll { $0.stage == String(path[..<slash]) && $0.step == number }
                    steps.append(StepLine(stage: String(path[..<slash]), step: number, duration: entry.at.timeIntervalSince(start)))
                }
            case "stage":
                let name = String(entry.entityID.dropFirst(runID.count + 1))
                guard !name.contains("@") else { continue }
                if stages[name] == nil { order.append(name) }
                var line = stages[name] ?? StageLine(name: name, state: "", attempts: 0)
                line.state = entry.toState ?? line.state
                switch entry.toState {
                case "started":
                    if line.started == nil { line.started = entry.at }
                    line.attempts += 1
                    line.finished = nil
                case "retrying":
                    // The stage runs again from its first step: another attempt, still going.
                    line.attempts += 1
                    line.state = "started"
                    line.finished = nil
                    line.detail = entry.reason
                case "completed", "failed", "skipped":
                    line.finished = entry.at
                    line.detail = entry.reason
                default:
                    break
                }
                stages[name] = line
            case "gate":
                // The reason reads "gate 'NAME' passed: FIGURES"; the table has its own name and result columns.
                let reason = entry.reason ?? ""
                let figures = reason.range(of: ": ").map { String(reason[$0.upperBound...]) } ?? reason
                gates.append(GateLine(name: String(entry.entityID.dropFirst(runID.count + 1)), passed: entry.toState == "passed", figures: figures))
            default:
                break
            }
        }
        self.steps = steps
        self.gates = gates
        self.items = try store.items(runID: runID, states: [])
        // A per-item stage "completes" when its queue is empty, whatever became of the items: one
        // whose items ended in error or needs_review says so instead.
        let finalStates = Dictionary(items.map { ($0.key, $0.state) }, uniquingKeysWith: { _, last in last })
        self.stages = order.compactMap { name -> StageLine? in
            guard var line = stages[name] else { return nil }
            let failed = failedItems[name] ?? []
            line.itemsInError = failed.filter { finalStates[$0] == .error }.count
            line.itemsInReview = failed.filter { finalStates[$0] == .needsReview }.count
            if line.state == "completed", line.itemsInError + line.itemsInReview > 0 {
                line.state = line.itemsInError > 0 ? ItemState.error.rawValue : ItemState.needsReview.rawValue
                let counts = [(line.itemsInError, "in error"), (line.itemsInReview, "in needs_review")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
                line.detail = "finished with items " + counts.joined(separator: " and ") + (line.detail.map { "; " + $0 } ?? "")
            }
            return line
        }
        self.artifacts = try store.artifacts(runID: runID)
        self.effects = try store.sideEffects(runID: runID, itemKey: nil)
        self.drift = try store.auditLog(entityType: "selector", entityID: nil, limit: 1000)
            .filter { ($0.payload ?? "").contains("\"\(runID)\"") }
            .compactMap(\.reason)
    }

    /// Work items by state.
    public var itemCounts: [ItemState: Int] {
        Dictionary(grouping: items, by: \.state).mapValues(\.count)
    }

    /// The run's whole duration, when it has ended.
    public var duration: TimeInterval? {
        run.finishedAt.map { $0.timeIntervalSince(run.startedAt) }
    }

    static func seconds(_ interval: TimeInterval?) -> String {
        guard let interval else { return "–" }
        return interval < 60 ? String(format: "%.1f s", interval) : String(format: "%d:%02d", Int(interval) / 60, Int(interval) % 60)
    }
}
