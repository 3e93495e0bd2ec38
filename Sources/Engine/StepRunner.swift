import Extract
import Flows
import Foundation
import Store
import WebDriver

/// Carries out one step of a flow in a browser session (or without one, for the data steps).
struct StepRunner: Sendable {
    let execution: RunExecution

    var flow: Flow { execution.flow }
    var store: any RunStore { execution.store }

    /// What the stage does after a step.
    enum Outcome: Sendable {
        case next
        /// `done:` ended the stage (or the item's pass through it) early, successfully, with a note.
        case stageDone(String)
    }

    func run(_ context: StepContext) async throws(StepFailure) -> Outcome {
        do {
            return try await runStep(context)
        } catch {
            var failure = error
            // The innermost step's own words win: a transaction's reason covers only what its steps did not say.
            if failure.reason == nil, let reason = context.step.reason {
                failure.reason = (try? render(reason, context)) ?? reason.source
            }
            throw failure
        }
    }

    private func runStep(_ context: StepContext) async throws(StepFailure) -> Outcome {
        let step = context.step
        if let skipped = context.effects.skipping {
            if step.flattened.contains(where: \.sideEffect) {
                context.effects.stopSkipping()
            } else {
                execution.audit("passed over with the change it verifies (key \(skipped.key), confirmed earlier)", context: context)
                // What the verification captured then is what later steps see now.
                if case .expect(let expect) = step.action, let name = expect.captures.first, let result = skipped.result {
                    try await execution.remember([name: result], context: context)
                }
                return .next
            }
        }
        if let condition = step.condition {
            do {
                guard try condition.evaluate(in: context.template) else {
                    if step.isGuard { context.effects.guardPassed() }
                    return .next
                }
            } catch {
                throw context.failure("its `if:` cannot be evaluated: \(execution.redact("\(error)"))", errorClass: .application)
            }
        }
        switch step.action {
        case .transaction(let transaction):
            return try await runTransaction(transaction, context)
        case .done(let done):
            if step.isGuard { confirmByGuard(context) }
            return .stageDone(try render(done.note, context))
        case .require(let require):
            let holds: Bool
            do {
                holds = try require.condition.evaluate(in: context.template)
            } catch {
                throw context.failure("its condition cannot be evaluated: \(execution.redact("\(error)"))", errorClass: .application)
            }
            if !holds {
                var failure = context.failure("the requirement \(require.condition) does not hold")
                failure.reason = try step.reason.map { template throws(StepFailure) in try render(template, context) }
                throw failure
            }
            return .next
        case .forEach(let loop):
            let rows = await execution.memory.records[loop.records] ?? []
            for row in rows {
                var inner = context
                inner.template.rows[loop.variable] = row.mapValues(TemplateValue.text)
                for step in loop.steps {
                    var nested = inner
                    nested.step = step
                    if case .stageDone(let note) = try await run(nested) { return .stageDone(note) }
                }
            }
            return .next
        default:
            break
        }
        // The page a selector step acted on is kept for `ferry doctor --offline`: before a step that
        // may leave it, after a step that waits for it (also when the wait fails), else once per page.
        let keepPage = execution.options.capturePages && !step.action.selectors.isEmpty ? context.session : nil
        let afterwards = step.action.kind.waitsForPage
        if let session = keepPage, !afterwards {
            await execution.pages.capture(session: session, stage: context.stage.name, step: context.number, redact: execution.redact)
        }
        defer {
            if step.action.kind.mayNavigate, let session = context.session { execution.pages.pageChanged(in: session) }
        }
        if let session = keepPage, afterwards {
            let outcome: Outcome
            do {
                outcome = try await actJudgingDrift(step, context)
            } catch {
                await execution.pages.capture(session: session, stage: context.stage.name, step: context.number, fresh: true, redact: execution.redact)
                throw error
            }
            await execution.pages.capture(session: session, stage: context.stage.name, step: context.number, fresh: true, redact: execution.redact)
            return outcome
        }
        return try await actJudgingDrift(step, context)
    }

    /// The step, then the judgement of any selector fallback it used (whether it acted or failed).
    private func actJudgingDrift(_ step: Step, _ context: StepContext) async throws(StepFailure) -> Outcome {
        do {
            let outcome = try await act(step, context)
            await settleDrift(context)
            return outcome
        } catch {
            await settleDrift(context)
            throw error
        }
    }

    /// The step itself: skipped in shadow mode when it changes the target system, recorded when it does.
    private func act(_ step: Step, _ context: StepContext) async throws(StepFailure) -> Outcome {
        if step.sideEffect && execution.options.shadow {
            // The steps after a change check its result, which a shadow run does not make: this pass
            // through the stage ends here, as far as it can go without touching the target system.
            let note = "shadow mode: stopped before step \(context.number) (\(context.name)), which changes the target system"
            execution.audit(note, context: context)
            return .stageDone(note)
        }
        if step.sideEffect {
            try await runSideEffect(context)
        } else if let result = try await performSettlingDialogs(context).result {
            context.effects.noteResult(result)
        }
        return .next
    }

    /// Does the step's action. Returns a short result for side effects (e.g. a captured confirmation).
    ///
    /// `acting` is called once the step has found what it acts on, just before the action reaches the
    /// target system: a side effect records its intent there, so a step that failed to find its
    /// element leaves nothing uncertain behind.
    func perform(_ context: StepContext, acting: () throws(StepFailure) -> Void = {}) async throws(StepFailure) -> String? {
        let timeout = flow.timeout(for: context.step).duration
        switch context.step.action {
        case .goto(let goto):
            let url = try render(goto.url, context)
            try await open(url, requireSession(context), context)
            return nil

        case .click(let click):
            let element = try await resolve(click.target, click.force ? .present : .clickable, context, timeout: timeout)
            try acting()
            do {
                if click.force {
                    try await element.clickByScript()
                } else {
                    try await element.clickWhenReceivable(timeout: timeout)
                }
            } catch {
                throw failure(error, context, selector: click.target.key)
            }
            return nil

        case .fill(let fill):
            let value = try renderValue(fill.value, context)
            let element = try await resolve(fill.field, .visible, context, timeout: timeout)
            try acting()
            do {
                try await element.fill(value)
            } catch {
                throw failure(error, context, selector: fill.field.key)
            }
            if execution.options.shadow, let item = context.itemKey {
                execution.shadowOutput.record(item: item, field: fill.field.key, value: execution.redact(value))
            }
            return nil

        case .select(let select):
            let option = try render(select.option, context)
            let element = try await resolve(select.field, .visible, context, timeout: timeout)
            try acting()
            do {
                try await element.select(option)
            } catch {
                throw failure(error, context, selector: select.field.key)
            }
            return nil

        case .check(let check):
            let element = try await resolve(check.box, .clickable, context, timeout: timeout)
            try acting()
            do {
                try await element.setChecked(check.checked, timeout: timeout)
            } catch {
                throw failure(error, context, selector: check.box.key)
            }
            return nil

        case .press(let press):
            var field: WebDriverElement?
            if let reference = press.field { field = try await resolve(reference, .visible, context, timeout: timeout) }
            try acting()
            try await attempt(context, selector: press.field?.key) {
                if let field {
                    try await field.sendKeys(press.keyText)
                } else {
                    try await requireSession(context).press(press.keyText)
                }
            }
            return nil

        case .wait(let wait):
            switch wait.condition {
            case .pause(let duration):
                try? await Task.sleep(for: duration.duration)
            case .visible(let reference):
                _ = try await resolve(reference, .visible, context, timeout: timeout)
            case .hidden(let reference):
                try await waitGone(reference, context, timeout: timeout)
            case .page(let property, let matcher):
                _ = try await waitForPage(property, matcher, context, timeout: timeout)
            case .attached(let reference):
                _ = try await resolve(reference, .present, context, timeout: timeout)
            case .count(let reference, let count):
                try await waitForCount(reference, count, context, timeout: timeout)
            case .quiet(let quiet):
                let session = try requireSession(context)
                try await attempt(context) { try await session.wait(for: .quiet(quiet.duration), timeout: timeout) }
            }
            return nil

        case .expect(let expect):
            return try await runExpect(expect, context, timeout: timeout)

        case .download(let download):
            return try await runDownload(download, context, timeout: max(timeout, .seconds(60)))

        case .upload(let upload):
            let file = execution.resolvePath(try render(upload.file, context))
            let input = try await resolve(upload.field, .present, context, timeout: timeout)
            try acting()
            try await attempt(context, selector: upload.field.key) {
                try await input.upload(file: file)
            }
            if let submit = upload.submit {
                let button = try await resolve(submit, .clickable, context, timeout: timeout)
                try await attempt(context, selector: submit.key) { try await button.clickWhenReceivable(timeout: timeout) }
            }
            return nil

        case .screenshot(let screenshot):
            let name = try render(screenshot.name, context)
            let session = try requireSession(context)
            try await attempt(context) {
                let png = try await session.fullPageScreenshot(hidingFixedElements: true)
                try FileManager.default.createDirectory(atPath: execution.evidenceFolder, withIntermediateDirectories: true)
                guard let path = NonOverwritingFile.write(png, to: execution.evidenceFolder + "/\(FailureEvidence.safe(name)).png") else {
                    throw context.failure("could not write the screenshot to \(execution.evidenceFolder)", errorClass: .application)
                }
                try store.recordArtifact(
                    Artifact(runID: execution.runID, kind: .screenshot, path: path, size: png.count, sha256: FileDigest.sha256(png),
                             stage: context.stage.name, step: context.index, itemKey: context.itemKey, name: name),
                    actor: execution.actor(for: context))
            }
            return nil

        case .extract(let extract):
            try await runExtract(extract, context, timeout: timeout)
            return nil

        case .read(let read):
            try await runRead(read, context)
            return nil

        case .write(let write):
            try await runWrite(write, context)
            return nil

        case .items(let items):
            try await runItems(items, context)
            return nil

        case .normalize(let normalize):
            try await runNormalize(normalize, context)
            return nil

        case .reshape(let reshape):
            try await runReshape(reshape, context)
            return nil

        case .reconcile(let reconcile):
            try await runReconcile(reconcile, context)
            return nil

        case .set(let set):
            var values: [String: String] = [:]
            for assignment in set.assignments {
                values[assignment.name] = try renderValue(assignment.value, context)
            }
            try await execution.remember(values, context: context)
            return nil

        case .script(let script):
            var arguments: [JSONValue] = []
            for argument in script.arguments {
                switch argument {
                case .value(let template): arguments.append(.string(try renderValue(template, context)))
                case .element(let reference): arguments.append(try await resolve(reference, .present, context, timeout: timeout).scriptArgument)
                }
            }
            let session = try requireSession(context)
            try acting()
            try await attempt(context) {
                let value = try await session.executeScript(script.javascript, arguments: arguments)
                if let into = script.into {
                    let text = value.string ?? value.number.map { String($0) } ?? value.bool.map { String($0) } ?? ""
                    try await execution.remember([into: text], context: context)
                }
            }
            return nil

        case .frame(let frame):
            try await enterFrame(frame, context, timeout: timeout)
            return nil

        case .window(let window):
            try await switchWindow(window, context, timeout: timeout)
            return nil

        case .forEach, .done, .require, .transaction:
            return nil  // handled in run(_:)
        }
    }

    // MARK: Templates

    func render(_ template: Template, _ context: StepContext) throws(StepFailure) -> String {
        do {
            return try template.render(in: context.template).text
        } catch {
            throw context.failure("`\(template)` cannot be worked out: \(execution.redact("\(error)"))", errorClass: .application)
        }
    }

    /// Renders a value that may be secret; a secret is marked so it is redacted from logs and errors.
    func renderValue(_ template: Template, _ context: StepContext) throws(StepFailure) -> String {
        do {
            let rendered = try template.render(in: context.template)
            if rendered.isSecret { execution.secretValues.mark(rendered.text) }
            return rendered.text
        } catch {
            throw context.failure("`\(template)` cannot be worked out: \(execution.redact("\(error)"))", errorClass: .application)
        }
    }

    func requireSession(_ context: StepContext) throws(StepFailure) -> WebDriverSession {
        guard let session = context.session else {
            throw context.failure("this step needs a browser, but the stage has none", errorClass: .application)
        }
        return session
    }

    /// Runs a piece of a step, turning any error into a ``StepFailure`` about the step.
    func attempt<T>(_ context: StepContext, selector: String? = nil, _ body: () async throws -> T) async throws(StepFailure) -> T {
        do {
            return try await body()
        } catch {
            throw failure(error, context, selector: selector)
        }
    }

    func failure(_ error: any Error, _ context: StepContext, selector: String? = nil) -> StepFailure {
        if let failure = error as? StepFailure { return failure }
        let message = execution.redact((error as? WebDriverError).map { "\($0.code): \($0.detail)" } ?? "\(error)")
        return context.failure(message, selector: selector)
    }
}
