import Flows
import Foundation
import WebDriver

/// Sessions on the target systems, and the browsers they live in: logging in again when a page shows
/// that a login has run out (and going back to the page the failed step was on), and starting a new
/// browser when the one a run was using died.
extension RunExecution {
    /// What a run does about a failed step once it has looked at the browser and the page.
    enum Recovery {
        /// Nothing to recover: the failure stands as it is.
        case none
        /// Logged in again: go on at this step (the first of those that lead back to the failed
        /// step's page).
        case resume(at: Int)
        /// The failure stands, as an application error, so the stage's (or item's) own retries run it
        /// again from its start; the browser now shows another page than the failure's, so no evidence.
        case retryFromStart
    }

    /// Looks at the browser after `failure`: a browser that died is replaced by a new one, logged in;
    /// a page that shows the login has run out (see ``Flows/ExpiryCondition``) is logged in again,
    /// a few times per pass through the stage.
    func recover(from failure: inout StepFailure, in stage: Stage, at index: Int, item: String?, session: WebDriverSession,
                 recoveries: inout Int) async -> Recovery {
        let url: String
        do {
            url = try await session.currentURL()
        } catch where Self.meansBrowserGone(error) {
            await replaceBrowser(session, after: &failure, error: error, in: stage, at: index, item: item)
            return .retryFromStart
        } catch {
            return .none
        }
        guard failure.errorClass == .application, !stage.isSession, recoveries < options.sessionRecoveries else { return .none }
        let expired = await expiredLogins(for: stage, session: session, url: url)
        guard !expired.isEmpty else { return .none }
        recoveries += 1
        emit(.sessionRecovered(reason: "the login page came back at stage \(stage.name), step \(index + 1)"))
        do {
            try await refreshSession(session, reason: "the session expired at stage '\(stage.name)' step \(index + 1)", stages: expired)
        } catch {
            failure = error
            return .none
        }
        guard let start = Self.replayStart(in: stage, before: index) else {
            failure.message += ". The session had expired after a step that changes the target system; Ferry logged in again, "
                + "and the \(item == nil ? "stage" : "item") runs again from its start so that its own checks decide"
            return .retryFromStart
        }
        if start < index {
            audit(stage: stage, "logged in again; going on from step \(start + 1), which leads back to the page of step \(index + 1)", item: item)
        }
        return .resume(at: start)
    }

    /// Where to go on after logging in again: the stage's last `goto` at or before the failed step (its
    /// first step when it has none), so the steps from there rebuild the page the failed step was on,
    /// whether the page was reached by its URL or by clicks. Nil when a step between them changes the
    /// target system: that is never replayed here.
    static func replayStart(in stage: Stage, before index: Int) -> Int? {
        let start = stage.steps[...index].lastIndex { step in
            if case .goto = step.action { return true }
            return false
        } ?? 0
        let between = stage.steps[start..<index].flatMap(\.flattened)
        return between.contains(where: \.sideEffect) ? nil : start
    }

    // MARK: Logging in

    /// Runs session stages again in this browser (steps only, no checkpoints), each with its retries.
    func refreshSession(_ session: WebDriverSession, reason: String, stages: [Stage]) async throws(StepFailure) {
        for stage in stages {
            try await holdCredentials(for: stage)
            audit(stage: stage, "running the session stage again: \(reason)")
            let policy = flow.retryPolicy(for: stage)
            var attempt = 1
            while true {
                do {
                    try await runSteps(of: stage, session: session, item: nil, attempt: attempt, checkpoints: false)
                    break
                } catch {
                    guard error.errorClass == .application, attempt < attempts(policy) else { throw error }
                    try? await Task.sleep(for: policy.delay(beforeAttempt: attempt + 1).duration)
                    attempt += 1
                }
            }
        }
    }

    /// Runs the flow's session stages again in this browser: all of them, or the one named.
    func refreshSession(_ session: WebDriverSession, reason: String, only name: String? = nil) async throws(StepFailure) {
        try await refreshSession(session, reason: reason, stages: flow.stages.filter { $0.isSession && (name == nil || $0.name == name) })
    }

    /// The session stages whose login a browser working on `stage` holds: a per-item stage's own, else
    /// every session stage before it; none for a session stage, which makes its own.
    func loginStages(for stage: Stage) -> [Stage] {
        guard !stage.isSession else { return [] }
        if let name = stage.perItem?.session { return flow.stages.filter { $0.isSession && $0.name == name } }
        return flow.stages.prefix { $0.name != stage.name }.filter(\.isSession)
    }

    /// The logins (of ``loginStages(for:)``) whose expiry the page shows.
    private func expiredLogins(for stage: Stage, session: WebDriverSession, url: String) async -> [Stage] {
        var expired: [Stage] = []
        for login in loginStages(for: stage) where await hasExpired(login, session: session, url: url) {
            expired.append(login)
        }
        return expired
    }

    /// Whether the page shows that `login`'s session has ended: its `expired_when:` (the stage's, else
    /// `defaults:`'s), else the built-in rule: the URL is the stage's first `goto`, query ignored.
    private func hasExpired(_ login: Stage, session: WebDriverSession, url: String) async -> Bool {
        guard let condition = flow.expiryCondition(for: login) else {
            guard case .goto(let goto) = login.steps.first?.action, let page = try? goto.url.render(in: baseContext).text else { return false }
            return Self.withoutQuery(url) == Self.withoutQuery(page)
        }
        if let pattern = condition.url, let regex = try? NSRegularExpression(pattern: pattern.source),
            regex.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)) != nil
        {
            return true
        }
        if let element = condition.element, let definition = flow.selectors[element.key] {
            for candidate in definition.candidates {
                if let found = try? await session.findElements(candidate.locator), !found.isEmpty { return true }
            }
        }
        return false
    }

    private static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    // MARK: Browsers that die

    /// Whether an error from a session means its browser (or chromedriver, or the grid's node) is gone,
    /// rather than that a command failed in a live browser.
    static func meansBrowserGone(_ error: WebDriverError) -> Bool {
        if error.code == .unreachable || error.code == .invalidSessionID { return true }
        let message = error.message.lowercased()
        return ["chrome not reachable", "not connected to devtools", "session deleted", "target crashed"].contains { message.contains($0) }
    }

    /// Starts a new browser in place of `session`'s dead one and logs it in again, so the stage's
    /// (or item's) retry finds a working browser; says so in `failure`, which becomes an application
    /// error whatever the step declared: the data was not wrong, the browser went away.
    private func replaceBrowser(_ session: WebDriverSession, after failure: inout StepFailure, error: WebDriverError,
                                in stage: Stage, at index: Int, item: String?) async {
        failure.errorClass = .application
        failure.browserLost = true
        let what = "the browser stopped answering at stage '\(stage.name)' step \(index + 1) (\(error.code))"
        do {
            try await browsers.replace(session)
        } catch {
            audit(stage: stage, "\(what); a new browser could not be started: \(error.code): \(error.message)", item: item)
            failure.message += ". The browser had stopped answering, and a new one could not be started: \(redact("\(error.code): \(error.message)"))"
            return
        }
        emit(.browserRestarted(reason: what))
        audit(stage: stage, "\(what); started a new browser", item: item)
        do {
            try await refreshSession(session, reason: "a new browser after \(what)", stages: loginStages(for: stage))
            failure.message += ". The browser had stopped answering (\(error.code)); Ferry started a new one and logged in again"
        } catch let login {
            failure.message += ". The browser had stopped answering; Ferry started a new one, but logging in again failed: \(login.message)"
        }
    }
}
