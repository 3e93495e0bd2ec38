import Alerts
import Flows
import Foundation
import Store

/// Starts scheduled flows when they are due, as `ferry serve` does every few seconds.
///
/// - A slot is taken in the store before its run starts, so no slot runs twice, whichever process
///   serves; a slot missed while nothing served runs late if its deadline has not passed.
/// - A lock per flow (in the store, with an expiry) keeps two runs of one flow apart; a slot that
///   comes while the flow still runs is skipped, and the audit log says so.
/// - Skipped days and maintenance windows start nothing and alert nobody.
/// - A run still going at its deadline, a slot missed past its deadline, a failed run and the same
///   failure `repeatThreshold` times in a row each raise an alert.
public actor Scheduler {
    public struct Decision: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case started
            case alreadyTaken
            case skipped(String)
            case overlapping
            case missed
            case paused
            case notDue
        }

        public var flow: String
        public var slot: String?
        public var kind: Kind
    }

    private var flows: [ScheduledFlow]
    private let store: any RunStore
    private let clock: any ScheduleClock
    private let alerts: (any AlertSink)?
    private let holder: String
    private let isPaused: @Sendable (String) -> Bool
    private let launch: @Sendable (ScheduledFlow, String, Date?) async -> LaunchResult
    private let link: @Sendable (String) -> String?
    /// How many times in a row the same failure must come before its own alert.
    public let repeatThreshold: Int

    private var active: [String: (slot: String, started: Date, task: Task<Void, Never>)] = [:]
    private var failureStreaks: [String: (reason: String, count: Int)] = [:]

    public init(
        flows: [ScheduledFlow], store: any RunStore, clock: any ScheduleClock = SystemScheduleClock(), alerts: (any AlertSink)? = nil,
        holder: String = "serve:\(ProcessInfo.processInfo.processIdentifier)", repeatThreshold: Int = 3,
        isPaused: @escaping @Sendable (String) -> Bool = { _ in false }, link: @escaping @Sendable (String) -> String? = { _ in nil },
        launch: @escaping @Sendable (ScheduledFlow, String, Date?) async -> LaunchResult
    ) {
        self.flows = flows
        self.store = store
        self.clock = clock
        self.alerts = alerts
        self.holder = holder
        self.repeatThreshold = repeatThreshold
        self.isPaused = isPaused
        self.link = link
        self.launch = launch
    }

    /// Looks at every flow once: starts what is due, alerts on what is late.
    @discardableResult
    public func tick() async -> [Decision] {
        var decisions: [Decision] = []
        for scheduled in flows {
            decisions.append(await tick(scheduled))
        }
        return decisions
    }

    /// Replaces the flows looked at, as `ferry serve` does when its folder changes: a new or edited
    /// `schedule:` counts from the next tick; a run already going is left to finish.
    public func replaceFlows(_ flows: [ScheduledFlow]) {
        self.flows = flows
    }

    /// Waits for the runs this scheduler started (for shutdown and tests).
    public func waitForRuns() async {
        for (_, run) in active { await run.task.value }
    }

    /// The flows with a run going, by flow name, and the slot it serves.
    public var running: [String: String] { active.mapValues(\.slot) }

    /// When each flow is next due, for the dashboard.
    public func nextDue() -> [String: Date] {
        let now = clock.now()
        var due: [String: Date] = [:]
        for scheduled in flows { due[scheduled.flow.name] = scheduled.calendar.nextSlot(after: now) }
        return due
    }

    // MARK: One flow

    private func tick(_ scheduled: ScheduledFlow) async -> Decision {
        let name = scheduled.flow.name
        let now = clock.now()
        checkDeadline(scheduled, now: now)
        guard !isPaused(name) else { return Decision(flow: name, slot: nil, kind: .paused) }
        guard let slot = scheduled.calendar.latestSlot(atOrBefore: now) else { return Decision(flow: name, slot: nil, kind: .notDue) }
        let slotName = scheduled.calendar.name(of: slot)
        do {
            if try store.slot(flow: name, slot: slotName) != nil { return Decision(flow: name, slot: slotName, kind: .alreadyTaken) }
            if let quiet = scheduled.calendar.quietReason(for: slot) {
                _ = try store.claimSlot(flow: name, slot: slotName, outcome: "skipped: \(quiet)", runID: nil, actor: holder)
                return Decision(flow: name, slot: slotName, kind: .skipped(quiet))
            }
            let deadline = scheduled.calendar.deadline(for: slot)
            if let deadline, now >= deadline {
                // A new flow has no history: its past slots are not "missed", it simply starts at the next one.
                guard try store.lastSlot(flow: name) != nil else { return Decision(flow: name, slot: slotName, kind: .notDue) }
                let reason = "the run due at \(slotName) did not start before its deadline \(scheduled.calendar.name(of: deadline)) (was ferry serve running?)"
                if try store.claimSlot(flow: name, slot: slotName, outcome: "missed: \(reason)", runID: nil, actor: holder) {
                    alert(Alert(kind: .deadlineMissed, flow: name, reason: reason, at: now))
                    return Decision(flow: name, slot: slotName, kind: .missed)
                }
                return Decision(flow: name, slot: slotName, kind: .alreadyTaken)
            }
            let expires = deadline ?? now.addingTimeInterval(12 * 3600)
            guard try store.acquireLock("flow:\(name)", holder: "\(holder)/\(slotName)", now: now, expires: expires) else {
                // Another process took the lock for this very slot and is claiming it: the slot is its to start.
                if let other = try store.lockHolder("flow:\(name)", now: now), other.hasSuffix("/\(slotName)") {
                    return Decision(flow: name, slot: slotName, kind: .alreadyTaken)
                }
                let reason = "a run of \(name) was still going at \(slotName)"
                _ = try store.claimSlot(flow: name, slot: slotName, outcome: "skipped: \(reason)", runID: nil, actor: holder)
                return Decision(flow: name, slot: slotName, kind: .overlapping)
            }
            guard try store.claimSlot(flow: name, slot: slotName, outcome: "started", runID: nil, actor: holder) else {
                try? store.releaseLock("flow:\(name)", holder: "\(holder)/\(slotName)")
                return Decision(flow: name, slot: slotName, kind: .alreadyTaken)
            }
            start(scheduled, slot: slotName, deadline: deadline, at: now)
            return Decision(flow: name, slot: slotName, kind: .started)
        } catch {
            try? store.appendAudit(AuditEvent(actor: holder, entityType: "schedule", entityID: "\(name)@\(slotName)", reason: "the scheduler could not use the store: \(error)"))
            return Decision(flow: name, slot: slotName, kind: .notDue)
        }
    }

    private func start(_ scheduled: ScheduledFlow, slot: String, deadline: Date?, at now: Date) {
        let launch = self.launch
        let task = Task {
            let result = await launch(scheduled, slot, deadline)
            await self.finished(scheduled, slot: slot, result: result)
        }
        active[scheduled.flow.name] = (slot, now, task)
    }

    private func finished(_ scheduled: ScheduledFlow, slot: String, result: LaunchResult) {
        let name = scheduled.flow.name
        active[name] = nil
        try? store.releaseLock("flow:\(name)", holder: "\(holder)/\(slot)")
        guard result.state == .failed else {
            failureStreaks[name] = nil
            return
        }
        let reason = result.failure ?? "the run failed"
        alert(Alert(kind: .runFailed, flow: name, runID: result.runID, step: Self.step(in: reason), reason: reason, screenshot: result.screenshot, link: link(result.runID), at: clock.now()))
        // The same failure again and again means the flow needs a person, not another night.
        let key = Self.failureKey(reason)
        let previous = failureStreaks[name].flatMap { $0.reason == key ? $0.count : nil } ?? 0
        failureStreaks[name] = (reason: key, count: previous + 1)
        if previous + 1 == repeatThreshold {
            alert(Alert(kind: .repeatedFailure, flow: name, runID: result.runID, step: Self.step(in: reason),
                        reason: "\(repeatThreshold) runs in a row failed the same way: \(reason)", screenshot: result.screenshot, link: link(result.runID), at: clock.now()))
        }
    }

    private func checkDeadline(_ scheduled: ScheduledFlow, now: Date) {
        let name = scheduled.flow.name
        guard let running = active[name], let slot = scheduled.calendar.latestSlot(atOrBefore: running.started),
            let deadline = scheduled.calendar.deadline(for: slot), now >= deadline,
            (try? store.markDeadlineAlerted(flow: name, slot: running.slot)) == true
        else { return }
        let runID = (try? store.runs(flow: name, limit: 1))?.first { $0.state == .running }?.id
        alert(Alert(kind: .deadlineMissed, flow: name, runID: runID,
                    reason: "the run due at \(running.slot) is still going at its deadline \(scheduled.calendar.name(of: deadline))",
                    link: runID.flatMap(link), at: now))
    }

    private func alert(_ alert: Alert) {
        guard let alerts else { return }
        try? store.appendAudit(AuditEvent(actor: holder, entityType: "alert", entityID: alert.flow, toState: alert.kind.rawValue, reason: alert.reason))
        Task { await alerts.send(alert) }
    }

    /// "stage 'x', step 4 (click y) at file:line:col" from an engine failure.
    static func step(in failure: String) -> String? {
        guard failure.hasPrefix("stage '"), let colon = failure.range(of: ": ") else { return nil }
        return String(failure[..<colon.lowerBound])
    }

    /// A failure without what changes from run to run (times, run ids, paths of evidence).
    static func failureKey(_ failure: String) -> String {
        let message = failure.components(separatedBy: " — evidence:").first ?? failure
        return message.replacingOccurrences(of: "[0-9]{8}-[0-9]{6}(-[0-9a-f]{3,})?", with: "…", options: .regularExpression)
            .replacingOccurrences(of: "[0-9]+(\\.[0-9]+)? seconds", with: "… seconds", options: .regularExpression)
    }
}
