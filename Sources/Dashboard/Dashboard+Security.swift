import Foundation
import Hummingbird
import Operators
import Store
import Synchronization

/// Headers on every answer: a strict Content-Security-Policy (no inline script or style, nothing from
/// elsewhere, no framing) and no MIME sniffing (pages also ask for no referrer, in a meta tag); and a
/// `Server-Timing` header with the time the server spent on the answer, so a load test can tell the
/// server's own time from time spent waiting for the CPU (`scripts/dashboard-load`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = DashboardContext
    let dashboard: Dashboard

    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = dashboard.message(title: "\(error.status.code) \(error.status.reasonPhrase)", text: error.body ?? "That page does not exist.",
                                         status: error.status, signedIn: context.signedIn)
        } catch {
            // The details go to the log, not to the page.
            dashboard.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            response = dashboard.message(title: "Something went wrong", text: "The dashboard could not answer this request; the server's log says why.",
                                         status: .internalServerError, signedIn: context.signedIn)
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        let spent = ContinuousClock.now - started
        let milliseconds = Double(spent.components.seconds) * 1000 + Double(spent.components.attoseconds) / 1e15
        // A valid field name, so the initializer cannot fail.
        response.headers[.init("Server-Timing")!] = "app;dur=" + String(format: "%.2f", milliseconds)
        return response
    }
}

/// Finds who is signed in from the session cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = DashboardContext
    let dashboard: Dashboard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Dashboard.cookieName]?.value {
            let accounts = dashboard.accounts
            if let found = await StoreWork.run({ accounts.session(token: token) }) {
                context.signedIn = SignedIn(account: found.account, session: found.session, token: token)
            }
        }
        return try await next(request, context)
    }
}

extension Dashboard {
    // MARK: Signing in

    func signInPage(_ request: Request, _ context: DashboardContext, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        if context.signedIn != nil, error == nil { return .seeOther("/") }
        var page = layout(title: "Sign in", signedIn: nil)
        page["error"] = error ?? ""
        page["hasError"] = error != nil
        page["next"] = Self.localPath(request.query["next"]) ?? "/"
        // The form's token is the cookie's (double submit): a page elsewhere can post the form but cannot
        // read or set the cookie, so it cannot sign a victim's browser into the attacker's account.
        let existing = request.cookies[Self.signInCookieName]?.value
        let token = existing.flatMap { Self.isToken($0) ? $0 : nil } ?? OperatorAccounts.randomToken()
        page["signInToken"] = token
        var response = Response.html(templates.render("sign-in", page), status: status)
        if existing != token {
            response.setCookie(Cookie(name: Self.signInCookieName, value: token, path: "/sign-in", secure: configuration.usesSecureCookies,
                                      httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// Whether `text` looks like ``OperatorAccounts/randomToken()`` made it (base64url, sensible length).
    static func isToken(_ text: String) -> Bool {
        (20...128).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    func signIn(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let form = try await request.form()
        let cookieToken = request.cookies[Self.signInCookieName]?.value ?? ""
        guard !cookieToken.isEmpty, PasswordHasher.constantTimeEqual(form["csrf"] ?? "", cookieToken) else {
            return signInPage(request, context, error: "This sign-in form has expired (its security token does not match). Sign in again.",
                              status: .forbidden)
        }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let address = context.remoteAddress
        let person = "the user \(name.isEmpty ? "-" : String(name.prefix(64)))"
        let locked = "Too many sign-ins for \(person) from your address. Wait until %@, or ask an admin to unlock it (`ferry users unlock NAME`, or the Users page)."
        let now = Date()
        let store = self.store
        let policy = signInPolicy
        if case .refused(let until) = try await StoreWork.run({ try store.reserveSignInAttempt(name: name, address: address, policy: policy, now: now) }) {
            return signInPage(request, context, error: locked.replacingOccurrences(of: "%@", with: Self.time(until)), status: .tooManyRequests)
        }
        let account: OperatorAccount
        switch await accounts.check(name: name, password: password) {
        case .busy:
            return signInPage(request, context, error: "The server is busy checking other sign-ins. Try again in a moment.", status: .serviceUnavailable)
        case .refused:
            // One row per failed attempt: the throttle bounds them (a few per name and address per window).
            try? store.appendAudit(AuditEvent(actor: "dashboard", entityType: "user", entityID: name.isEmpty ? "-" : String(name.prefix(64)),
                                              reason: "sign-in failed", payload: ["address": address]))
            return signInPage(request, context, error: "The user name or the password is wrong.", status: .unauthorized)
        case .matched(let found):
            account = found
        }
        if case .refused(let until) = try await StoreWork.run({ try store.recordSignInSuccess(name: name, address: address, policy: policy, now: Date()) }) {
            return signInPage(request, context, error: locked.replacingOccurrences(of: "%@", with: Self.time(until)), status: .tooManyRequests)
        }
        let accounts = self.accounts
        let started = try await StoreWork.run { try accounts.startSession(for: account) }
        var response = Response.seeOther(Self.localPath(form["next"]) ?? "/")
        response.setCookie(Cookie(name: Self.cookieName, value: started.token, path: "/", secure: configuration.usesSecureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let form = try await request.form()
        guard let signedIn = context.signedIn else { return .seeOther("/sign-in") }
        guard PasswordHasher.constantTimeEqual(form["csrf"] ?? "", signedIn.session.csrfToken) else {
            return message(title: "Refused", text: "This form has expired (its security token does not match). Reload the page and try again.",
                           status: .forbidden, signedIn: signedIn)
        }
        accounts.endSession(token: signedIn.token)
        var response = Response.seeOther("/sign-in")
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: configuration.usesSecureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// A path on this site (`/items/4`), never another site: only printable ASCII without `\\`, starting
    /// with one `/` (browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would become
    /// `//evil.example`; any other byte is percent-encoded by the pages that build `next`).
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 2048,
            text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") })
        else { return nil }
        return text
    }

    // MARK: Pages and actions behind the sign-in

    /// A page for signed-in users; others go to the sign-in page.
    func page(_ request: Request, _ context: DashboardContext, _ body: @escaping @Sendable (Request, SignedIn) -> Response) async -> Response {
        guard let signedIn = context.signedIn else {
            var target = request.uri.path
            if let query = request.uri.query { target += "?" + query }
            return .seeOther("/sign-in?next=" + FormFields.encode(target))
        }
        return await StoreWork.run { body(request, signedIn) }
    }

    /// An operator action: signed in, the session's CSRF token, a role that may act; then the action
    /// itself through ``OperatorActions`` (which writes the audit row), and its run in the background.
    func act(_ request: Request, _ context: DashboardContext,
             _ build: (FormFields, String) throws -> (OperatorAction, String)) async throws -> Response {
        let form = try await request.form()
        guard let signedIn = context.signedIn else {
            return message(title: "Sign in first", text: "Your session has ended: sign in again, then repeat the action.", status: .unauthorized,
                           signedIn: nil)
        }
        guard PasswordHasher.constantTimeEqual(form["csrf"] ?? "", signedIn.session.csrfToken) else {
            return message(title: "Refused", text: "This form has expired (its security token does not match). Reload the page and try again.",
                           status: .forbidden, signedIn: signedIn)
        }
        let target = context.parameters.get("id") ?? ""
        let action: OperatorAction
        let back: String
        let outcome: ActionOutcome
        do {
            (action, back) = try build(form, target)
            let actions = self.actions
            let chosen = action
            let person = signedIn.person
            let reason = form["reason"]
            outcome = try await StoreWork.run { try actions.perform(chosen, by: person, reason: reason) }
        } catch {
            let error = error as? OperatorError ?? OperatorError(.invalidInput, "\(error)")
            let status: HTTPResponse.Status = switch error.code {
            case .forbidden: .forbidden
            case .invalidInput: .badRequest
            case .wrongState: .conflict
            case .notFound: .notFound
            default: .internalServerError
            }
            return message(title: "Not done", text: error.message, status: status, signedIn: signedIn,
                           back: Self.localPath(form["back"]) ?? Self.localPath(request.headers[.referer].flatMap { URL(string: $0)?.path }))
        }
        var text = outcome.message
        var isError = false
        if let followUp = outcome.followUp {
            if launcher != nil {
                switch await startInBackground(followUp, after: action, by: signedIn) {
                case .running:
                    text += "; the run is starting in the background"
                case .finished:
                    text += "; the run has already finished (see Recent activity)"
                case .failed(let why):
                    text += "; but the run could not start: \(why)"
                    isError = true
                }
            } else {
                text += "; run `ferry resume` (or the dashboard with a browser configured) to work it"
            }
        }
        setNotice(Notice(text: text, isError: isError), for: signedIn)
        return .seeOther(Self.localPath(form["back"]) ?? back)
    }

    enum LaunchState: Sendable {
        case running, finished
        case failed(String)
    }

    /// Starts the follow-up run in the background and waits a moment for it to fail at its start (a
    /// missing secret, a flow that no longer validates), so the operator is told, not shown "starting".
    /// A failure after that moment is written to the audit log and shown on the operator's next page.
    func startInBackground(_ followUp: ActionOutcome.FollowUp, after action: OperatorAction, by signedIn: SignedIn) async -> LaunchState {
        guard let launcher else { return .failed("no browser is configured for the dashboard") }
        let person = signedIn.person
        let (stream, continuation) = AsyncStream.makeStream(of: LaunchState.self)
        let answered = AnsweredFlag()
        let task = Task {
            do {
                _ = try await launcher.launch(followUp, by: person)
                continuation.yield(.finished)
            } catch {
                let why = (error as? OperatorError)?.message ?? "\(error)"
                continuation.yield(.failed(why))
                self.reportLaunchFailure(why, after: action, followUp: followUp, by: signedIn, tellOperator: answered.isSet)
            }
            continuation.finish()
        }
        launches.withLock { $0.append(task) }
        let timer = Task {
            try? await Task.sleep(for: Self.launchGrace)
            continuation.yield(.running)
        }
        defer { timer.cancel() }
        var state = LaunchState.running
        for await first in stream {
            state = first
            break
        }
        // From here on, a failure is news for the operator's next page.
        answered.set()
        return state
    }

    /// Set once the action has answered the operator.
    final class AnsweredFlag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    /// How long an action waits for its run to fail at the start before saying "starting".
    static let launchGrace: Duration = .seconds(3)

    func reportLaunchFailure(_ why: String, after action: OperatorAction, followUp: ActionOutcome.FollowUp, by signedIn: SignedIn, tellOperator: Bool) {
        logger.error("the run after \(action.name) by \(signedIn.person.name) could not be carried out: \(why)")
        let entity: (String, String) = switch followUp {
        case .resumeRun(let id): ("run", id)
        case .startFlow(let path, _): ("flow", ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        }
        try? store.appendAudit(AuditEvent(actor: signedIn.person.actor, entityType: entity.0, entityID: entity.1,
                                          reason: "the run after \(action.name) could not start: \(why)", payload: signedIn.person.origin))
        if tellOperator { setNotice(Notice(text: "The run after your \(action.name) failed: \(why)", isError: true), for: signedIn) }
    }

    func setNotice(_ notice: Notice, for signedIn: SignedIn) {
        notices.withLock { $0[signedIn.session.tokenHash] = notice }
    }

    func takeNotice(for signedIn: SignedIn) -> Notice? {
        notices.withLock { $0.removeValue(forKey: signedIn.session.tokenHash) }
    }

    /// A page with one message (an error, a refusal).
    func message(title: String, text: String, status: HTTPResponse.Status, signedIn: SignedIn?, back: String? = nil) -> Response {
        var page = layout(title: title, signedIn: signedIn)
        page["heading"] = title
        page["text"] = text
        page["back"] = back ?? "/"
        return .html(templates.render("message", page), status: status)
    }
}
