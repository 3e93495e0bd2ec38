import Flows
import Foundation
import Store
import WebDriver

/// Side effects as a small state machine under their idempotency key: intended (before acting),
/// acted (the action returned), done (the steps that verify it passed) or unconfirmed (they did not,
/// or the page answered 4xx/5xx). Only done stops a repeat; anything uncertain is decided by the
/// flow's guard, or by a person when the flow has none.
extension StepRunner {
    func runSideEffect(_ context: StepContext) async throws(StepFailure) {
        let key = try idempotencyKey(of: context.step, context)
        try confirmPending(context)
        guard try mayAct(under: key, context) else { return }
        var reached = false
        let dialog: DialogOutcome?
        do {
            dialog = try await performSettlingDialogs(context) { () throws(StepFailure) in
                try recordIntent(key, context)
                reached = true
            }.dialog
        } catch {
            if reached, Self.refusedBeforeActing(error) {
                try? store.withdrawIntent(key: key, actor: execution.actor(for: context), reason: "the browser refused the action: \(error.message)")
            } else if reached, Self.isDialogFailure(error), let text = error.pageMessage {
                // The click went through and the page asked something nobody foresaw; Ferry pressed Cancel.
                let detail = "the page opened the dialog “\(text)” and Ferry dismissed it; check the target"
                try? store.markSideEffect(key: key, state: .unconfirmed, result: nil, detail: detail, actor: execution.actor(for: context))
            }
            throw error
        }
        if let dialog, dialog.response == .dismiss {
            // Cancel on the page's "Really save?": the change was called off, so nothing confirms it.
            let detail = "its dialog “\(dialog.text)” was dismissed (Cancel), as the flow says"
            try? store.markSideEffect(key: key, state: .unconfirmed, result: nil, detail: detail, actor: execution.actor(for: context))
            execution.audit("the change under key \(key) is not confirmed: \(detail)", context: context)
            return
        }
        let status = await pageStatus(context)
        do {
            try store.markSideEffect(key: key, state: .acted, result: nil, detail: status.map { "the page answered HTTP \($0)" }, actor: execution.actor(for: context))
        } catch {
            throw context.failure("the change was made but the store could not record it: \(error)", errorClass: .application)
        }
        context.effects.acted(EffectWindow.Pending(key: key, stepNumber: context.number, status: status))
        if let verify = context.step.verify {
            for step in verify {
                var nested = context
                nested.step = step
                if case .stageDone = try await run(nested) { break }
            }
            try confirmPending(context)
        }
    }

    /// A transaction: its steps in order, replayed from the first after any failure. A commit that
    /// was confirmed is decided before the first step, so a wizard is not started again for a change
    /// already made; an uncertain one is decided at the commit, after any guard inside.
    func runTransaction(_ transaction: TransactionStep, _ context: StepContext) async throws(StepFailure) -> Outcome {
        if let commit = transaction.commit, !execution.options.shadow,
           // A key that captures a value inside the transaction can only be worked out at the commit.
           let key = try? commit.effectiveIdempotencyKey.render(in: context.template).text,
           (try? store.sideEffect(key: key))??.state == .done
        {
            var committing = context
            committing.step = commit
            try confirmPending(context)
            guard try mayAct(under: key, committing) else { return .next }
        }
        for step in transaction.steps {
            var nested = context
            nested.step = step
            if case .stageDone(let note) = try await run(nested) { return .stageDone(note) }
        }
        return .next
    }

    /// Confirms the change waiting for its verification: the steps after it passed.
    func confirmPending(_ context: StepContext) throws(StepFailure) {
        guard let pending = context.effects.takePending() else { return }
        let actor = execution.actor(for: context)
        if let status = pending.status, status >= 400 {
            let detail = "the page answered HTTP \(status) after step \(pending.stepNumber), although the steps after it passed"
            try? store.markSideEffect(key: pending.key, state: .unconfirmed, result: nil, detail: detail, actor: actor)
            throw context.failure("the change under key \(pending.key) is not confirmed: \(detail)", errorClass: .application)
        }
        do {
            try store.markSideEffect(key: pending.key, state: .done, result: pending.result, detail: nil, actor: actor)
        } catch {
            throw context.failure("the change was confirmed but the store could not record it: \(error)", errorClass: .application)
        }
    }

    /// The change waiting for its verification did not get it: it stays uncertain, with why.
    func unconfirmPending(_ context: StepContext, because failure: StepFailure) {
        guard let pending = context.effects.takePending() else { return }
        var detail = "step \(failure.stepNumber) (\(failure.stepName)) failed after it: \(failure.headline)"
        if let status = pending.status, status >= 400 { detail = "the page answered HTTP \(status); " + detail }
        try? store.markSideEffect(key: pending.key, state: .unconfirmed, result: nil, detail: execution.redact(detail), actor: execution.actor(for: context))
    }

    /// A guard found the change in the target: the stage's uncertain changes for this pass (an earlier
    /// attempt acted, then lost its verification) are confirmed by what the target shows.
    func confirmByGuard(_ context: StepContext) {
        let commits = context.stage.steps[context.index...].flatMap(\.flattened).filter(\.sideEffect)
        for commit in commits {
            guard let key = try? commit.effectiveIdempotencyKey.render(in: context.template).text,
                  let recorded = try? store.sideEffect(key: key), recorded.state.isUncertain else { continue }
            try? store.markSideEffect(
                key: key, state: .done, result: recorded.result, detail: nil, actor: execution.actor(for: context))
            execution.audit("key \(key) was \(recorded.state.rawValue); the flow's guard found the change in the target, so it is confirmed", context: context)
        }
    }

    // MARK: Deciding

    /// Whether to act under `key`: never for a confirmed change (its verification is passed over with
    /// it, unless a guard just looked for it in the target and found nothing: then the target wins and
    /// a person is told); for an uncertain one, only after a guard found nothing.
    private func mayAct(under key: String, _ context: StepContext) throws(StepFailure) -> Bool {
        let recorded: SideEffect?
        do {
            recorded = try store.sideEffect(key: key)
        } catch {
            throw context.failure("the store could not say whether key \(key) was done: \(error)", errorClass: .application)
        }
        guard let recorded else { return true }
        let when = recorded.completedAt ?? recorded.actedAt ?? recorded.createdAt
        let by = "run \(recorded.runID) at \(when.formatted(.iso8601))"
        if recorded.state == .done {
            if context.effects.isGuarded {
                var failure = context.failure(
                    "the store says key \(key) was done by \(by)\(recorded.result.map { " (\($0))" } ?? ""); the target does not show it "
                        + "(the flow's guard looked and found nothing). Check the target; if the change is missing, "
                        + "`ferry retry --item N --redo` makes it again", errorClass: .business)
                failure.needsPerson = true
                throw failure
            }
            execution.audit("not repeated: key \(key) was confirmed done by \(by)" + (recorded.result.map { " (\($0))" } ?? ""), context: context)
            context.effects.skipVerification(of: key, result: recorded.result)
            return false
        }
        if context.effects.isGuarded {
            execution.audit("acting again under key \(key): it was \(recorded.state.rawValue) (\(recorded.detail ?? "no detail")) and the flow's guard found no change in the target", context: context)
            return true
        }
        var failure = context.failure(
            "the change under key \(key) may or may not be in the target: it is \(recorded.state.rawValue) since \(by)"
                + (recorded.detail.map { " (\($0))" } ?? "")
                + ". The stage has no guard (a `done: … if:` step that looks the change up in the target) so Ferry does not repeat it blindly: "
                + "check the target, then `ferry retry --item N --redo` if it is missing or `ferry mark-done N` if it is there",
            errorClass: .business)
        failure.needsPerson = true
        throw failure
    }

    /// WebDriver errors that say the action never reached the page (the element was covered, gone or
    /// not interactable), so the change certainly did not happen.
    static func refusedBeforeActing(_ failure: StepFailure) -> Bool {
        let codes: [WebDriverError.Code] = [.elementClickIntercepted, .elementNotInteractable, .staleElementReference, .noSuchElement, .invalidElementState]
        return codes.contains { failure.message.hasPrefix("\($0):") }
    }

    private func recordIntent(_ key: String, _ context: StepContext) throws(StepFailure) {
        do {
            _ = try store.recordIntent(
                key: key, runID: execution.runID, stage: context.stage.name, step: context.index, itemKey: context.itemKey,
                actor: execution.actor(for: context))
        } catch {
            throw context.failure("the store refused to record the intent: \(error)", errorClass: .application)
        }
    }

    private func idempotencyKey(of step: Step, _ context: StepContext) throws(StepFailure) -> String {
        do {
            return try step.effectiveIdempotencyKey.render(in: context.template).text
        } catch {
            throw context.failure("its idempotency key cannot be worked out: \(error)", errorClass: .application)
        }
    }

    /// The HTTP status of the page the browser shows, from the Navigation Timing entry (Chromium 109+).
    private func pageStatus(_ context: StepContext) async -> Int? {
        guard let session = context.session else { return nil }
        let value = try? await session.executeScript(
            "const n = performance.getEntriesByType('navigation')[0]; return n && n.responseStatus ? n.responseStatus : null;")
        return value?.number.map { Int($0) }
    }
}
