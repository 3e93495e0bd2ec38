import Foundation
import Store

/// The single code path for operator actions: checks the role and the reason, checks the item or run
/// is in a state the action applies to, changes it and writes the audit row (same transaction, with
/// the operator's name and reason).
///
///     let actions = OperatorActions(store: store)
///     let outcome = try actions.perform(.escalate(42), by: alice, reason: "amount looks doubled")
///
/// Actions that need a flow to run (a retry, a trigger) return a ``ActionOutcome/FollowUp``; hand it to a
/// ``RunLauncher``.
public struct OperatorActions: Sendable {
    public let store: any OperatorStore

    public init(store: any OperatorStore) {
        self.store = store
    }

    /// The longest reason kept.
    public static let maximumReasonLength = 2000

    @discardableResult
    public func perform(_ action: OperatorAction, by person: Operator, reason: String?) throws(OperatorError) -> ActionOutcome {
        guard person.role >= action.requiredRole else {
            throw OperatorError(.forbidden, "\(person.name) is a \(person.role.rawValue); \(action.name) needs the \(action.requiredRole.rawValue) role (an admin can change it with `ferry users add \(person.name) --role operator`)")
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if action.needsReason, reason == nil {
            throw OperatorError(.invalidInput, "\(action.name) needs a reason: say why, for the audit log")
        }
        if let reason, reason.count > Self.maximumReasonLength {
            throw OperatorError(.invalidInput, "the reason is longer than \(Self.maximumReasonLength) characters; shorten it")
        }
        do {
            return try apply(action, by: person, reason: reason)
        } catch let error as OperatorError {
            throw error
        } catch let error as StoreError {
            throw OperatorError(error)
        } catch {
            throw OperatorError(.storeFailure, "\(error)")
        }
    }

    private func apply(_ action: OperatorAction, by person: Operator, reason: String?) throws -> ActionOutcome {
        let actor = person.actor
        switch action {
        case .retryItem(let id):
            let item = try existingItem(id, allowed: [.error, .needsReview], action: action)
            _ = try store.requeueItem(id: id, fields: [:], actor: actor, reason: reason.map { "retry: \($0)" } ?? "retry")
            return ActionOutcome(message: "item \(id) (\(item.key)) is back in the queue", followUp: try followUp(forRun: item.runID))

        case .redoItem(let id):
            let item = try existingItem(id, allowed: [.error, .needsReview, .done], action: action)
            let cleared = try store.clearSideEffects(itemKey: item.key, actor: actor, reason: "redo: \(reason ?? "")")
            _ = try store.requeueItem(id: id, fields: [:], actor: actor, reason: "redo: \(reason ?? "")")
            let keys = cleared.isEmpty ? "it had no recorded changes" : "its recorded changes (\(cleared.joined(separator: ", "))) are forgotten"
            return ActionOutcome(message: "item \(id) (\(item.key)) is back in the queue and \(keys): it will be entered again", followUp: try followUp(forRun: item.runID))

        case .override(let id, let fields):
            let item = try existingItem(id, allowed: [.error, .needsReview], action: action)
            if let unknown = fields.keys.sorted().first(where: { item.payload[$0] == nil }) {
                throw OperatorError(.invalidInput, "item \(id) has no field '\(unknown)'; its fields are: \(item.payload.keys.sorted().joined(separator: ", "))")
            }
            _ = try store.requeueItem(id: id, fields: fields, actor: actor, reason: "override: \(reason ?? "")")
            let changed = fields.filter { item.payload[$0.key] != $0.value }.keys.sorted()
            return ActionOutcome(
                message: "item \(id) (\(item.key)) overridden (\(changed.isEmpty ? "no field changed" : changed.joined(separator: ", "))) and back in the queue",
                followUp: try followUp(forRun: item.runID))

        case .markDone(let id):
            let item = try existingItem(id, allowed: [.error, .needsReview, .new], action: action)
            _ = try store.finishItem(id: id, state: .done, reason: "marked done: \(reason ?? "")", actor: actor)
            return ActionOutcome(message: "item \(id) (\(item.key)) marked done")

        case .escalate(let id):
            let item = try existingItem(id, allowed: [.error, .new, .done], action: action)
            _ = try store.finishItem(id: id, state: .needsReview, reason: "escalated: \(reason ?? "")", actor: actor)
            return ActionOutcome(message: "item \(id) (\(item.key)) sent to review")

        case .retryRun(let runID):
            guard let run = try store.run(id: runID) else {
                throw OperatorError(.notFound, "there is no run \(runID); `ferry runs` lists the runs")
            }
            guard run.state == .failed || run.state == .needsReview || run.state == .interrupted else {
                throw OperatorError(
                    .wrongState, "run \(runID) is \(run.state.rawValue); only a failed or interrupted run, or one with items in review, can be retried")
            }
            let failedItems = try store.items(runID: runID, states: [.error])
            for item in failedItems {
                _ = try store.requeueItem(id: item.id, fields: [:], actor: actor, reason: "retry of run \(runID)" + (reason.map { ": \($0)" } ?? ""))
            }
            try store.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: runID, fromState: run.state.rawValue, toState: run.state.rawValue,
                           reason: "retry requested" + (reason.map { ": \($0)" } ?? ""),
                           payload: ["via": person.channel.rawValue, "requeued items": String(failedItems.count)]))
            let stage = run.state == .failed ? " from its failed stage \(run.currentStage ?? "")" : ""
            return ActionOutcome(
                message: "run \(runID) will resume\(stage) (\(failedItems.count) item\(failedItems.count == 1 ? "" : "s") in error back in the queue)",
                followUp: .resumeRun(runID))

        case .pauseSchedule(let flow), .resumeSchedule(let flow):
            let pause: Bool = if case .pauseSchedule = action { true } else { false }
            guard !flow.isEmpty else { throw OperatorError(.invalidInput, "name the flow whose schedule to \(pause ? "pause" : "resume")") }
            _ = try store.setSchedulePaused(flow: flow, paused: pause, actor: actor, reason: reason ?? (pause ? "schedule paused" : "schedule resumed"))
            return ActionOutcome(message: "the schedule of \(flow) is \(pause ? "paused" : "active")")

        case .trigger(let path, let inputs):
            guard FileManager.default.fileExists(atPath: path) else {
                throw OperatorError(.notFound, "there is no flow file \(path)")
            }
            let flow = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            var payload = inputs
            payload["via"] = person.channel.rawValue
            payload["flow file"] = path
            try store.appendAudit(
                AuditEvent(actor: actor, entityType: "flow", entityID: flow, reason: "run triggered now" + (reason.map { ": \($0)" } ?? ""), payload: payload))
            return ActionOutcome(message: "a run of \(flow) is starting", followUp: .startFlow(path: path, inputs: inputs))
        }
    }

    private func existingItem(_ id: Int64, allowed: Set<ItemState>, action: OperatorAction) throws -> WorkItem {
        guard let item = try store.item(id: id) else {
            throw OperatorError(.notFound, "there is no work item \(id); `ferry items` lists them")
        }
        guard allowed.contains(item.state) else {
            let states = ItemState.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            throw OperatorError(.wrongState, "item \(id) (\(item.key)) is \(item.state.rawValue); \(action.name) applies to items that are \(states)")
        }
        return item
    }

    /// A queued item is worked by its run: resume the run unless a process is working it now.
    private func followUp(forRun runID: String) throws -> ActionOutcome.FollowUp? {
        guard let run = try store.run(id: runID), run.state != .running else { return nil }
        return .resumeRun(runID)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
