import Flows
import WebDriver

/// Dialogs (`alert()`, `confirm()`, `prompt()`): settled right after the step that opened them, as
/// the step's (or its stage's) `dialog:` says. Ferry asks chromedriver to leave dialogs alone
/// (`unhandledPromptBehavior: ignore`), so a dialog is never dismissed behind the flow's back, and is
/// never blamed on the step after the one that opened it.
extension StepRunner {
    /// What happened to the dialog a step opened.
    struct DialogOutcome: Sendable {
        var text: String
        var response: DialogPolicy.Response
    }

    /// Does the step's action, then settles the dialog it opened. A dialog that interrupted the
    /// action itself (a page that alerts while it loads) is settled the same way.
    func performSettlingDialogs(_ context: StepContext, acting: () throws(StepFailure) -> Void = {}) async throws(StepFailure) -> (result: String?, dialog: DialogOutcome?) {
        guard context.step.kind.usesBrowser, let session = context.session else {
            return (try await perform(context, acting: acting), nil)
        }
        let result: String?
        do {
            result = try await perform(context, acting: acting)
        } catch {
            // A popup's own Close button: the click closed the window it was in, which is what it is for.
            if context.step.kind == .click, error.message.hasPrefix(WebDriverError.Code.noSuchWindow.name), await Self.windowIsGone(session) {
                execution.audit("the click closed its own window", context: context)
                return (nil, nil)
            }
            guard Self.interruptedByDialog(error) else { throw error }
            let dialog = try await settleDialog(context, session, interrupted: true)
            // A look at the page (a wait, an expect) looks again once the dialog is gone.
            if dialog != nil, !context.step.kind.mayNavigate {
                return (try await perform(context, acting: acting), dialog)
            }
            return (nil, dialog)
        }
        return (result, try await settleDialog(context, session, interrupted: false))
    }

    private static func windowIsGone(_ session: WebDriverSession) async -> Bool {
        do {
            _ = try await session.windowHandle()
            return false
        } catch {
            return error.code == .noSuchWindow
        }
    }

    /// How every failure about a dialog begins, so a side effect can tell it from others.
    private static let dialogFailurePrefix = "the page opened a dialog"

    /// Whether the step failed on a dialog Ferry dismissed (its text is the failure's `pageMessage`).
    static func isDialogFailure(_ failure: StepFailure) -> Bool {
        failure.message.hasPrefix(dialogFailurePrefix)
    }

    /// Whether a step failed because a dialog was open.
    static func interruptedByDialog(_ failure: StepFailure) -> Bool {
        failure.message.contains(WebDriverError.Code.unexpectedAlertOpen.name)
    }

    /// Settles the open dialog: checks its text, then accepts, answers or dismisses it as the step (or
    /// its stage) says. A step that declares a dialog waits up to its timeout for one. A dialog nobody
    /// expected, or one that says something else, is dismissed (Cancel: nothing is changed on a guess)
    /// and fails the step, quoting it.
    func settleDialog(_ context: StepContext, _ session: WebDriverSession, interrupted: Bool) async throws(StepFailure) -> DialogOutcome? {
        let declared = context.step.dialog
        let policy = declared ?? context.stage.dialog
        var text = try await openDialog(session, context)
        if text == nil, let declared {
            let timeout = flow.timeout(for: context.step).duration
            let deadline = ContinuousClock.now + timeout
            while text == nil, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
                text = try await openDialog(session, context)
            }
            if text == nil {
                let expected = declared.expectedText.map { " saying “\((try? render($0, context)) ?? $0.source)”" } ?? ""
                throw context.failure(
                    "the step expects the page to open a dialog\(expected), but none opened within \(timeout). "
                        + "If the page asks only sometimes, move `dialog:` to the stage, where a dialog is allowed but not required")
            }
        }
        guard let text else { return nil }
        let shown = execution.redact(text)
        guard let policy else {
            try? await session.dismissAlert()
            throw dialogFailure(
                Self.dialogFailurePrefix + " \(interrupted ? "while this step ran" : "when this step acted") that the flow does not expect; "
                    + "Ferry dismissed it (Cancel) rather than confirm anything on a guess. If the page always asks this here, add "
                    + "`dialog: { do: accept, expect_text: \"\(String(shown.prefix(40)))\" }` to the step (or `do: dismiss`)", shown, context)
        }
        if let template = policy.expectedText {
            let expected = try render(template, context)
            guard text.contains(expected) else {
                try? await session.dismissAlert()
                throw dialogFailure(
                    Self.dialogFailurePrefix + ", but the step expects one saying “\(execution.redact(expected))”; Ferry dismissed it (Cancel)",
                    shown, context)
            }
        }
        do {
            switch policy.response {
            case .accept:
                if let answer = policy.answer { try await session.sendAlertText(try renderValue(answer, context)) }
                try await session.acceptAlert()
            case .dismiss:
                try await session.dismissAlert()
            }
        } catch let error as StepFailure {
            throw error
        } catch {
            throw failure(error, context)
        }
        let what = policy.answer != nil ? "answered" : (policy.response == .accept ? "accepted (OK)" : "dismissed (Cancel)")
        execution.audit("the page's dialog “\(shown)” was \(what)", context: context)
        return DialogOutcome(text: shown, response: policy.response)
    }

    private func openDialog(_ session: WebDriverSession, _ context: StepContext) async throws(StepFailure) -> String? {
        try await attempt(context) { try await session.openDialogText() }
    }

    /// A dialog the flow did not foresee: the page's own words lead the failure, and no retry will
    /// make the page ask otherwise, so a person (who may change the flow) decides.
    private func dialogFailure(_ message: String, _ text: String, _ context: StepContext) -> StepFailure {
        var failure = context.failure(message)
        failure.pageMessage = text
        failure.needsPerson = true
        execution.audit("step failed on a dialog: “\(text)”", context: context)
        return failure
    }
}
