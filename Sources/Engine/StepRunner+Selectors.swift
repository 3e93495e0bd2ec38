import Flows
import WebDriver

extension StepRunner {
    /// What an element must be before a step acts on it.
    enum Readiness {
        case present, visible, clickable
    }

    /// Finds the element a selector key names, trying its candidates in order and waiting up to
    /// `timeout` in all. When the primary did not match but a fallback did, the run records the drift
    /// so a maintainer sees it before the fallback breaks too.
    func resolve(_ reference: SelectorReference, _ readiness: Readiness, _ context: StepContext, timeout: Duration) async throws(StepFailure) -> WebDriverElement {
        let session = try requireSession(context)
        guard let definition = flow.selectors[reference.key] else {
            throw context.failure("the selector key '\(reference.key)' is not defined in selectors:", selector: reference.key, errorClass: .application)
        }
        let candidates = definition.candidates
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
                            execution.recordDrift(key: reference.key, matched: candidate.source, position: position, primary: candidates[0].source, context: context)
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
            "no element for '\(reference.key)' (\(tried)) became \(readiness) within \(timeout). \(seen)\(await framesHint(session)). If the page changed, update selectors: \(reference.key) in \(flow.file)",
            selector: reference.key)
    }

    func waitGone(_ reference: SelectorReference, _ context: StepContext, timeout: Duration) async throws(StepFailure) {
        let session = try requireSession(context)
        guard let definition = flow.selectors[reference.key] else {
            throw context.failure("the selector key '\(reference.key)' is not defined in selectors:", selector: reference.key, errorClass: .application)
        }
        for candidate in definition.candidates {
            do {
                try await session.wait(for: .gone(candidate.locator), timeout: timeout)
            } catch {
                var failure = failure(error, context, selector: reference.key)
                // The element that stayed is usually the target's own message ("Invalid user name or password."): quote it.
                if let element = try? await session.findElements(candidate.locator).first,
                   let text = try? await element.text(), !text.isEmpty {
                    failure.pageMessage = execution.redact(String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)))
                    failure.message = "'\(reference.key)' (\(candidate.source)) is still on the page"
                }
                throw failure
            }
        }
    }
}
