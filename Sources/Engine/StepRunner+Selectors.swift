import Flows
import WebDriver

extension StepRunner {
    /// What an element must be before a step acts on it.
    enum Readiness: CustomStringConvertible {
        case present, visible, clickable

        var description: String {
            switch self {
            case .present: "attached"
            case .visible: "visible"
            case .clickable: "clickable"
            }
        }
    }

    /// A selector key's candidates rendered for this step: a selector that follows the item
    /// (`xpath=//tr[td='${item.invoice}']`) is worked out here, and errors show it so.
    func candidates(_ reference: SelectorReference, _ context: StepContext) throws(StepFailure) -> [(source: String, locator: Locator)] {
        guard let definition = flow.selectors[reference.key] else {
            throw context.failure("the selector key '\(reference.key)' is not defined in selectors:", selector: reference.key, errorClass: .application)
        }
        var rendered: [(source: String, locator: Locator)] = []
        for candidate in definition.candidates {
            do {
                rendered.append(try candidate.rendered(in: context.template))
            } catch {
                throw context.failure(
                    "the selector '\(reference.key)' (\(candidate.source)) cannot be worked out: \(execution.redact("\(error)"))",
                    selector: reference.key, errorClass: .application)
            }
        }
        return rendered
    }

    /// Finds the element a selector key names, trying its candidates in order and waiting up to
    /// `timeout` in all. When the primary did not match but a fallback did, the fallback is used and
    /// the drift is judged after the step (see ``SelectorDriftWatch``).
    func resolve(_ reference: SelectorReference, _ readiness: Readiness, _ context: StepContext, timeout: Duration) async throws(StepFailure) -> WebDriverElement {
        let session = try requireSession(context)
        let candidates = try candidates(reference, context)
        let started = ContinuousClock.now
        // With one candidate, wait for it the whole time. With several, give each an equal slice per round
        // (the first round quickly), so a drifted primary does not eat the whole timeout.
        var round = 0
        var lastError: WebDriverError?
        repeat {
            for (position, candidate) in candidates.enumerated() {
                let remaining = timeout - (ContinuousClock.now - started)
                let slice: Duration = candidates.count == 1 ? remaining : (round == 0 ? .milliseconds(150) : max(.milliseconds(150), remaining / candidates.count))
                let condition: WaitCondition = switch readiness {
                case .present: .present(candidate.locator)
                case .visible: .visible(candidate.locator)
                case .clickable: .clickable(candidate.locator)
                }
                do {
                    if let element = try await session.wait(for: condition, timeout: max(.zero, slice)) {
                        if position > 0 {
                            context.drift.note(SelectorDriftWatch.Use(
                                key: reference.key, primary: candidates[0].source, primaryLocator: candidates[0].locator,
                                matched: candidate.source, position: position, at: .now))
                        }
                        return element
                    }
                } catch {
                    if error.code == .pageError { throw context.failure(error.message, selector: reference.key, errorClass: .application) }
                    if error.code != .waitTimeout { throw failure(error, context, selector: "\(reference.key) (\(candidate.source))") }
                    lastError = error
                }
            }
            round += 1
        } while ContinuousClock.now - started < timeout

        let tried = candidates.map(\.source).joined(separator: ", then ")
        let seen = lastError.map { execution.redact($0.message) } ?? ""
        throw context.failure(
            "no element for '\(reference.key)' (\(execution.redact(tried))) became \(readiness) within \(timeout). \(seen)\(await framesHint(session)). If the page changed, update selectors: \(reference.key) in \(flow.file)",
            selector: reference.key)
    }

    /// Waits until the number of elements a selector key matches is within bounds (its primary
    /// candidate: a count over several candidates would mean nothing).
    func waitForCount(_ reference: SelectorReference, _ count: ElementCount, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        guard let primary = try candidates(reference, context).first else { return }
        do {
            try await session.wait(for: .count(primary.locator, atLeast: count.atLeast, atMost: count.atMost ?? .max), timeout: timeout)
        } catch {
            if error.code == .waitTimeout {
                throw context.failure(
                    "expected \(count) of '\(reference.key)' (\(execution.redact(primary.source))) within \(timeout), but \(execution.redact(error.message.components(separatedBy: "; ").last ?? error.message))",
                    selector: reference.key)
            }
            throw failure(error, context, selector: reference.key)
        }
    }

    /// Judges the fallbacks the step used: a drift is recorded only when the primary is still absent
    /// once the fallback was used (a page built by script may show the fallback a moment first).
    func settleDrift(_ context: StepContext) async {
        let uses = context.drift.take()
        guard !uses.isEmpty, let session = context.session else { return }
        for use in uses {
            let grace = SelectorDriftWatch.grace - (ContinuousClock.now - use.at)
            let appeared = (try? await session.wait(for: .present(use.primaryLocator), timeout: max(grace, .milliseconds(1)))) != nil
            if !appeared {
                execution.recordDrift(key: use.key, matched: use.matched, position: use.position, primary: use.primary, context: context)
            }
        }
    }

    func waitGone(_ reference: SelectorReference, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        for candidate in try candidates(reference, context) {
            do {
                try await session.wait(for: .gone(candidate.locator), timeout: timeout)
            } catch {
                var failure = failure(error, context, selector: reference.key)
                // The element that stayed is usually the target's own message ("Invalid user name or password."): quote it.
                if let element = try? await session.findElements(candidate.locator).first,
                   let text = try? await element.text(), !text.isEmpty {
                    failure.pageMessage = execution.redact(String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)))
                    failure.message = "'\(reference.key)' (\(execution.redact(candidate.source))) is still on the page"
                }
                throw failure
            }
        }
    }
}
