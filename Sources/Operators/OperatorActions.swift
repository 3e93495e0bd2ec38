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
    /// The largest override value, in UTF-8 bytes: every value is kept forever in the audit log.
    public static let maximumValueLength = 4096

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
            let item = try existingItem(id)
            _ = try transition(item, from: Self.reopenable, to: .new, fields: [:], by: person, reason: reason.map { "retry: \($0)" } ?? "retry")
            return ActionOutcome(message: "item \(id) (\(item.key)) is back in the queue", followUp: try followUp(forRun: item.runID))

        case .redoItem(let id):
            let item = try existingItem(id)
            // The state changes first, as a compare-and-set: a worker that claims the item meanwhile wins, and nothing is forgotten.
            _ = try transition(item, from: Self.reopenable.union([.done]), to: .new, fields: [:], by: person, reason: "redo: \(reason ?? "")")
            let cleared = try store.clearSideEffects(itemKey: item.key, actor: person.actor, reason: "redo: \(reason ?? "")")
            let keys = cleared.isEmpty ? "it had no recorded changes" : "its recorded changes (\(cleared.joined(separator: ", "))) are forgotten"
            return ActionOutcome(message: "item \(id) (\(item.key)) is back in the queue and \(keys): it will be entered again", followUp: try followUp(forRun: item.runID))

        case .override(let id, let fields):
            let item = try existingItem(id)
            if let unknown = fields.keys.sorted().first(where: { item.payload[$0] == nil }) {
                throw OperatorError(.invalidInput, "item \(id) has no field '\(unknown)'; its fields are: \(item.payload.keys.sorted().joined(separator: ", "))")
            }
            if let long = fields.sorted(by: { $0.key < $1.key }).first(where: { $0.value.utf8.count > Self.maximumValueLength }) {
                throw OperatorError(
                    .invalidInput,
                    "the new value of '\(long.key)' is \(long.value.utf8.count) bytes; an override value may have at most \(Self.maximumValueLength) (it goes into the append-only audit log)")
            }
            _ = try transition(item, from: Self.reopenable, to: .new, fields: fields, by: person, reason: "override: \(reason ?? "")")
            let changed = fields.filter { item.payload[$0.key] != $0.value }.keys.sorted()
            return ActionOutcome(
                message: "item \(id) (\(item.key)) overridden (\(changed.isEmpty ? "no field changed" : changed.joined(separator: ", "))) and back in the queue",
                followUp: try followUp(forRun: item.runID))

        case .markDone(let id):
            let item = try existingItem(id)
            _ = try transition(item, from: [.error, .needsReview, .new], to: .done, fields: [:], by: person, reason: "marked done: \(reason ?? "")")
            return ActionOutcome(message: "item \(id) (\(item.key)) marked done")

        case .escalate(let id):
            let item = try existingItem(id)
            _ = try transition(item, from: [.error, .new, .done], to: .needsReview, fields: [:], by: person, reason: "escalated: \(reason ?? "")")
            return ActionOutcome(message: "item \(id) (\(item.key)) sent to review")

        case .retryRun(let runID):
            guard let run = try store.run(id: runID) else {
                throw OperatorError(.notFound, "there is no run \(runID); `ferry runs` lists the runs")
            }
            guard run.state == .failed || run.state == .needsReview || run.state == .interrupted else {
                throw OperatorError(
                    .wrongState, "run \(runID) is \(run.state.rawValue); only a failed or interrupted run, or one with items in review, can be retried")
            }
            var failedItems: [WorkItem] = []
            for item in try store.items(runID: runID, states: [.error]) {
                // An item someone else changed meanwhile is theirs now: skipped, not an error.
                do {
                    failedItems.append(try transition(item, from: [.error], to: .new, fields: [:], by: person,
                                                      reason: "retry of run \(runID)" + (reason.map { ": \($0)" } ?? "")))
                } catch let error as OperatorError where error.code == .wrongState {
                    continue
                }
            }
            try store.appendAudit(
                AuditEvent(actor: actor, entityType: "run", entityID: runID, fromState: run.state.rawValue, toState: run.state.rawValue,
                           reason: "retry requested" + (reason.map { ": \($0)" } ?? ""),
                           payload: person.origin.merging(["requeued items": String(failedItems.count)]) { _, own in own }))
            let stage = run.state == .failed ? " from its failed stage \(run.currentStage ?? "")" : ""
            return ActionOutcome(
                message: "run \(runID) will resume\(stage) (\(failedItems.count) item\(failedItems.count == 1 ? "" : "s") in error back in the queue)",
                followUp: .resumeRun(runID))

        case .pauseSchedule(let flow), .resumeSchedule(let flow):
            let pause: Bool = if case .pauseSchedule = action { true } else { false }
            guard !flow.isEmpty else { throw OperatorError(.invalidInput, "name the flow whose schedule to \(pause ? "pause" : "resume")") }
            _ = try store.setSchedulePaused(flow: flow, paused: pause, actor: actor, reason: reason ?? (pause ? "schedule paused" : "schedule resumed"),
                                            origin: person.origin)
            return ActionOutcome(message: "the schedule of \(flow) is \(pause ? "paused" : "active")")

        case .trigger(let path, let inputs):
            guard FileManager.default.fileExists(atPath: path) else {
                throw OperatorError(.notFound, "there is no flow file \(path)")
            }
            let flow = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            var payload = inputs
            payload.merge(person.origin) { _, origin in origin }
            payload["flow file"] = path
            try store.appendAudit(
                AuditEvent(actor: actor, entityType: "flow", entityID: flow, reason: "run triggered now" + (reason.map { ": \($0)" } ?? ""), payload: payload))
            return ActionOutcome(message: "a run of \(flow) is starting", followUp: .startFlow(path: path, inputs: inputs))
        }
    }

    /// The states from which an item can go back to the queue (retry, override).
    static let reopenable: Set<ItemState> = [.error, .needsReview]

    private func existingItem(_ id: Int64) throws -> WorkItem {
        guard let item = try store.item(id: id) else {
            throw OperatorError(.notFound, "there is no work item \(id); `ferry items` lists them")
        }
        return item
    }

    /// The change as one compare-and-set in the store: refused with ``OperatorError/Code/wrongState``
    /// (naming the state the item is in now) when it is not in `allowed` at the moment of the write.
    private func transition(_ item: WorkItem, from allowed: Set<ItemState>, to state: ItemState, fields: [String: String], by person: Operator,
                            reason: String) throws -> WorkItem {
        do {
            return try store.transitionItem(id: item.id, from: allowed, to: state, fields: fields, actor: person.actor, reason: reason,
                                            origin: person.origin)
        } catch where error.code == .conflict {
            throw OperatorError(.wrongState, error.message)
        }
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
