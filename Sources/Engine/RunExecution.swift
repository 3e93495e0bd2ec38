import Flows
import Foundation
import Logging
import Store
import Synchronization
import WebDriver

/// One run being carried out: the flow, its store records, its browsers and what it has learned.
final class RunExecution: Sendable {
    let flow: Flow
    let store: any RunStore
    let options: RunOptions
    let runID: String
    let resumed: Bool
    let memory: RunMemory
    let browsers: BrowserSupply
    let secretValues: SecretValues
    let baseContext: TemplateContext
    /// `<runs>/<run id>`: downloads, records, written files.
    let folder: String
    var filesFolder: String { folder + "/files" }
    /// `<screenshots>/<run id>`: failure evidence and screenshots.
    let evidenceFolder: String
    /// The pages selector steps act on, kept for offline selector checks.
    let pages: PageCapture
    /// In a shadow run: what would have been entered, per item.
    let shadowOutput = ShadowOutput()
    /// With ``RunOptions/keepGoing``: the failures the run went on past, first first.
    let failuresPassed = Mutex<[StepFailure]>([])
    /// Whether a failure is recorded and passed rather than ending the stage (`ferry doctor`'s shadow run).
    var keepsGoing: Bool { options.keepGoing && options.shadow }
    /// `recordsBrowserGroup`: whether the run records the process group of the chromedriver started here
    /// (so a resume can end what a killed run left); false for a worker of another process (`ferry worker`),
    /// whose browsers are its own.
    init(flow: Flow, run: RunRecord, secrets: [String: TemplateValue], store: any RunStore, options: RunOptions, resumed: Bool,
         recordsBrowserGroup: Bool = true) throws(RunError) {
        self.flow = flow
        self.store = store
        self.options = options
        self.runID = run.id
        self.resumed = resumed
        folder = BrowserOptions.absolute(options.runsDirectory + "/" + run.id)
        evidenceFolder = options.screenshotsDirectory + "/" + run.id
        pages = PageCapture(folder: folder, runID: run.id, store: store)
        let values = SecretValues()
        for value in secrets.values { if let text = value.text { values.mark(text) } }
        secretValues = values
        do {
            memory = try RunMemory(store: store, runID: run.id, folder: folder)
        } catch {
            throw RunError("cannot read the run's captured values: \(error)")
        }
        var context = TemplateContext(now: run.startedAt)
        context.secrets = secrets
        context.inputs = run.inputs.mapValues(TemplateValue.text)
        context.run = [
            "id": .text(run.id), "flow": .text(flow.name), "folder": .text(folder),
            "started": .text(run.startedAt.formatted(.iso8601)),
            "date": .text(run.startedAt.formatted(.iso8601.year().month().day().dateSeparator(.dash))),
        ]
        baseContext = context
        let store = store
        let runID = run.id
        var browserOptions = options
        if let size = options.windowSize ?? flow.defaults.windowSize {
            browserOptions.browser.windowWidth = size.width
            browserOptions.browser.windowHeight = size.height
        }
        browsers = BrowserSupply(
            options: browserOptions, downloadDirectory: folder + "/downloads", secrets: values,
            onDriverStarted: { group in
                guard recordsBrowserGroup else { return }
                _ = try? store.updateRun(id: runID, actor: "engine", reason: nil) { $0.processGroup = group }
            })
    }

    // MARK: Running

    func execute() async throws(RunError) -> RunOutcome {
        emit(.runStarted(runID: runID, flow: flow.name, resumed: resumed))
        let outcome: RunState
        do {
            outcome = try await runStages()
        } catch {
            await browsers.stop()
            try? store.releaseLocks(holder: runID)
            return try finish(.failed, failure: redact(error.description))
        }
        await browsers.stop()
        try? store.releaseLocks(holder: runID)
        return try finish(outcome, failure: nil)
    }

    private func runStages() async throws(StepFailure) -> RunState {
        let finishedStages = Set(
            ((try? store.checkpoints(runID: runID)) ?? [])
                .filter { $0.step == nil && $0.itemKey == nil && ($0.state == .completed || $0.state == .skipped) }
                .map(\.stage))
        var mainSession: WebDriverSession?
        var needsSessionRefresh = resumed
        // An operator may have put items back in the queue (a retry, an override) after their stage finished:
        // a resume works such a per-item stage again, for those items only (done items stay done).
        let hasQueuedItems = resumed && !(((try? store.items(runID: runID, states: [.new, .processing])) ?? []).isEmpty)

        // With keepGoing: a login stage that failed, whose pages the stages after it would not see.
        var failedLogin: String?
        for stage in flow.stages {
            if finishedStages.contains(stage.name), !(hasQueuedItems && stage.perItem != nil) { continue }
            if keepsGoing, let login = failedLogin, !stage.isSession, stage.perItem != nil || needsBrowser(stage) {
                let reason = "the login stage \(login) failed, so its pages cannot be reached"
                checkpoint(stage: stage, state: .skipped, detail: reason)
                emit(.stageSkipped(stage: stage.name, reason: reason))
                continue
            }
            let failuresBefore = failuresPassed.withLock { $0.count }
            if let condition = stage.condition, !(try evaluate(condition, stage: stage)) {
                checkpoint(stage: stage, state: .skipped, detail: "its if: was false")
                emit(.stageSkipped(stage: stage.name, reason: "its if: was false"))
                continue
            }
            emit(.stageStarted(stage: stage.name))
            updateRun { $0.currentStage = stage.name; $0.currentStep = nil }
            checkpoint(stage: stage, state: .started)
            do {
                if stage.isSession { try await holdCredentials(for: stage) }
                if stage.perItem != nil {
                    try await runItemStage(stage)
                } else {
                    if mainSession == nil, needsBrowser(stage) {
                        mainSession = try await newSession(for: stage)
                    }
                    if needsSessionRefresh, !stage.isSession, let session = mainSession {
                        try await refreshSession(session, reason: "re-establishing the session after the resume")
                        needsSessionRefresh = false
                    }
                    try await runWithStageRetries(stage, session: mainSession)
                    if stage.isSession { needsSessionRefresh = false }
                }
            } catch {
                checkpoint(stage: stage, state: .failed, detail: redact(error.description))
                guard keepsGoing else { throw error }
                failuresPassed.withLock { $0.append(error) }
                audit(stage: stage, "the stage failed; the check goes on with the next stage: \(redact(error.headline))")
                if stage.isSession { failedLogin = stage.name }
                continue
            }
            if stage.isSession { failedLogin = failuresPassed.withLock { $0.count } > failuresBefore ? stage.name : nil }
            checkpoint(stage: stage, state: .completed)
            emit(.stageFinished(stage: stage.name))
        }
        if let first = failuresPassed.withLock({ $0.first }) { throw first }
        let counts = itemCounts()
        return (counts[.needsReview] ?? 0) + (counts[.error] ?? 0) > 0 ? .needsReview : .succeeded
    }

    func newSession(for stage: Stage) async throws(StepFailure) -> WebDriverSession {
        do {
            return try await browsers.newSession()
        } catch {
            throw StepFailure(
                stage: stage.name, stepNumber: 1, stepName: "start the browser", location: stage.location,
                message: "\(error.code): \(error.message)")
        }
    }

    /// Runs a stage's steps, and the whole stage again (after its backoff) when an application error says retry.
    private func runWithStageRetries(_ stage: Stage, session: WebDriverSession?) async throws(StepFailure) {
        let policy = flow.retryPolicy(for: stage)
        var attempt = 1
        while true {
            do {
                try await runSteps(of: stage, session: session, item: nil, attempt: attempt)
                return
            } catch {
                let action = flow.errorAction(for: error.errorClass, step: failingStep(error, in: stage), in: stage)
                guard action == .retry, error.errorClass == .application, !error.needsPerson, attempt < attempts(policy) else { throw error }
                emit(.stepFailed(stage: stage.name, step: error.stepNumber, message: redact(error.headline), willRetry: true))
                audit(stage: stage, "attempt \(attempt) failed, retrying the stage in \(policy.delay(beforeAttempt: attempt + 1)): \(redact(error.headline))", state: "retrying")
                try? await Task.sleep(for: policy.delay(beforeAttempt: attempt + 1).duration)
                attempt += 1
            }
        }
    }

    /// Runs the steps of a stage in order, for the run or for one work item.
    func runSteps(of stage: Stage, session: WebDriverSession?, item: WorkItem?, attempt: Int, checkpoints: Bool = true,
                  claim: ClaimHeartbeat? = nil) async throws(StepFailure) {
        let runner = StepRunner(execution: self)
        let scope = item.map { _ in ItemScope() }
        let effects = EffectWindow()
        var recoveries = 0
        var index = 0
        // A step's completion is committed with the next step's start (one fsync for both): nothing
        // happens between them, and a crash there replays the stage either way.
        var held: Checkpoint?
        defer { if let held { write([held]) } }
        // Each pass starts in the main window at the top of its page, wherever the last one ended.
        if let session { try? await session.returnToStart() }
        while index < stage.steps.count {
            let step = stage.steps[index]
            // Another worker has the item now (or it was put back): not one more step of it here.
            if let claim, claim.isLost {
                throw StepFailure(stage: stage.name, stepNumber: index + 1, stepName: "hold the item", location: step.location,
                                  message: "the claim on item \(item?.key ?? "?") was lost; another worker has it", itemKey: item?.key)
            }
            var context = StepContext(stage: stage, index: index, step: step, session: session, itemKey: item?.key, template: baseContext, scope: scope, effects: effects)
            await fill(&context.template, stage: stage, index: index, item: item)
            if let scope { context.template.vars.merge(scope.all) { _, itemValue in itemValue } }
            emit(.stepStarted(stage: stage.name, step: index + 1, name: context.name, item: item?.key))
            // The run's current step is the latest `started` checkpoint: no separate write per step.
            if checkpoints { checkpoint(stage: stage, step: index, item: item?.key, state: .started, attempt: attempt, detail: item == nil ? context.name : nil, after: &held) }
            do {
                if case .stageDone(let note) = try await runWithStepRetries(runner, context) {
                    try runner.confirmPending(context)
                    if checkpoints { checkpoint(stage: stage, step: index, item: item?.key, state: .completed, attempt: attempt, detail: note, after: &held) }
                    audit(stage: stage, "finished early at step \(index + 1): \(note)", item: item?.key)
                    return
                }
                if index == stage.steps.count - 1 { try runner.confirmPending(context) }
            } catch {
                var failure = error
                // A change waiting for this verification is not confirmed. Without a guard that can look it up
                // in the target, no retry can tell whether it is there: a person decides, now.
                let changeWasPending = effects.pending != nil
                if let pending = effects.pending {
                    runner.unconfirmPending(context, because: failure)
                    if !effects.isGuarded, !failure.needsPerson {
                        failure.needsPerson = true
                        failure.message += " — the change under key \(pending.key) (step \(pending.stepNumber)) is not confirmed, and the stage has no guard "
                            + "(a `done: … if:` step that looks it up in the target): check the target, then `ferry retry --item N --redo` if it is missing "
                            + "or `ferry mark-done N` if it is there"
                    }
                }
                // The login ran out (log in again, back to this step's page) or the browser died (a new one).
                var recovery = Recovery.none
                if let session {
                    recovery = await recover(from: &failure, in: stage, at: index, item: item?.key, session: session, recoveries: &recoveries)
                }
                // After a change in this pass, the pass starts again from its beginning instead (the guard decides).
                if case .resume(let start) = recovery, !changeWasPending, !failure.needsPerson {
                    index = start
                    continue
                }
                if let session, case .none = recovery {
                    failure.evidence = await FailureEvidence(folder: evidenceFolder, runID: runID, store: store)
                        .capture(session: session, stage: stage.name, step: index + 1, itemKey: item?.key, redact: redact)
                }
                if checkpoints { checkpoint(stage: stage, step: index, item: item?.key, state: .failed, attempt: attempt, detail: redact(failure.description), after: &held) }
                let action = flow.errorAction(for: failure.errorClass, step: step, in: stage)
                if action == .continue {
                    audit(stage: stage, "step \(index + 1) failed and the flow says continue: \(redact(failure.message))", item: item?.key)
                    index += 1
                    continue
                }
                if keepsGoing, item == nil {
                    failuresPassed.withLock { $0.append(failure) }
                    emit(.stepFailed(stage: stage.name, step: index + 1, message: redact(failure.headline), willRetry: false))
                    audit(stage: stage, "step \(index + 1) failed; the check goes on with the next step: \(redact(failure.message))")
                    index += 1
                    continue
                }
                throw failure
            }
            if checkpoints { held = Checkpoint(runID: runID, stage: stage.name, step: index, itemKey: item?.key, state: .completed, attempt: attempt) }
            index += 1
        }
    }

    /// Retries one step when it has its own `retry:` policy; otherwise a failure goes up to the stage.
    private func runWithStepRetries(_ runner: StepRunner, _ context: StepContext) async throws(StepFailure) -> StepRunner.Outcome {
        guard let policy = context.step.retry else {
            return try await runner.run(context)
        }
        var attempt = 1
        while true {
            do {
                return try await runner.run(context)
            } catch {
                guard error.errorClass == .application, !error.needsPerson, attempt < attempts(policy) else { throw error }
                emit(.stepFailed(stage: context.stage.name, step: context.number, message: redact(error.headline), willRetry: true))
                try? await Task.sleep(for: policy.delay(beforeAttempt: attempt + 1).duration)
                attempt += 1
            }
        }
    }

    /// How many attempts a retry policy allows in this run (`ferry doctor` tries everything once).
    func attempts(_ policy: RetryPolicy) -> Int {
        min(policy.attempts, options.maxAttempts ?? policy.attempts)
    }

    /// The step a failure came from, so its own `on_error:` is honoured.
    func failingStep(_ failure: StepFailure, in stage: Stage) -> Step? {
        stage.steps.indices.contains(failure.stepNumber - 1) ? stage.steps[failure.stepNumber - 1] : nil
    }

    func needsBrowser(_ stage: Stage) -> Bool {
        stage.allSteps.contains { step in
            if case .wait(let wait) = step.action, case .pause = wait.condition { return false }
            return step.action.kind.usesBrowser
        }
    }

    // MARK: Items

    func itemCounts() -> [ItemState: Int] {
        Dictionary(grouping: (try? store.items(runID: runID, states: [])) ?? [], by: \.state).mapValues(\.count)
    }

    // MARK: Ending

    private func writeShadowOutput() {
        let data = shadowOutput.csv()
        let path = folder + "/" + ShadowOutput.fileName
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            _ = try store.recordArtifact(
                Artifact(runID: runID, kind: .report, path: path, size: data.count, sha256: FileDigest.sha256(data), name: ShadowOutput.fileName),
                actor: "engine")
        } catch {
            options.logger.error("could not write what the shadow run would have entered to \(path): \(error)")
        }
    }

    private func finish(_ state: RunState, failure: String?) throws(RunError) -> RunOutcome {
        do {
            let run = try store.updateRun(id: runID, actor: "engine", reason: failure) {
                $0.state = state
                $0.finishedAt = Date()
                $0.failure = failure
                $0.currentStep = nil
                if state != .failed { $0.currentStage = nil }
            }
            if options.shadow, !shadowOutput.isEmpty { writeShadowOutput() }
            if let problem = RunReportFiles(store: store, folder: folder).write(runID: runID) {
                options.logger.error("\(problem)")
            }
            emit(.runFinished(state: state))
            return RunOutcome(run: run, itemCounts: itemCounts(), artifacts: (try? store.artifacts(runID: runID)) ?? [])
        } catch {
            throw RunError("the run ended (\(state.rawValue)) but the store could not record it: \(error)")
        }
    }
}
