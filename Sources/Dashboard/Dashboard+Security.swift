import Foundation
import Hummingbird
import Operators
import Store

/// Headers on every answer: a strict Content-Security-Policy (no inline script or style, nothing from
/// elsewhere, no framing) and no MIME sniffing. (Pages also ask for no referrer, in a meta tag.)
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = DashboardContext
    let dashboard: Dashboard

    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
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
        return response
    }
}

/// Finds who is signed in from the session cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = DashboardContext
    let dashboard: Dashboard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Dashboard.cookieName]?.value, let found = dashboard.accounts.session(token: token) {
            context.signedIn = SignedIn(account: found.account, session: found.session, token: token)
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
        return .html(templates.render("sign-in", page), status: status)
    }

    func signIn(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let form = try await request.form()
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        guard limiter.allows(name: name, address: context.remoteAddress) else {
            try? store.appendAudit(AuditEvent(actor: "dashboard", entityType: "user", entityID: name.isEmpty ? "-" : String(name.prefix(64)),
                                              reason: "sign-in refused: too many failed attempts", payload: ["address": context.remoteAddress]))
            return signInPage(request, context, error: "Too many failed sign-ins. Wait 15 minutes, or ask an admin.", status: .tooManyRequests)
        }
        guard let account = accounts.authenticate(name: name, password: password) else {
            limiter.recordFailure(name: name, address: context.remoteAddress)
            try? store.appendAudit(AuditEvent(actor: "dashboard", entityType: "user", entityID: name.isEmpty ? "-" : String(name.prefix(64)),
                                              reason: "sign-in failed", payload: ["address": context.remoteAddress]))
            return signInPage(request, context, error: "The user name or the password is wrong.", status: .unauthorized)
        }
        limiter.recordSuccess(name: name)
        let started = try accounts.startSession(for: account)
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

    /// A path on this site (`/items/4`), never another site (`//evil`, `https://…`).
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), !text.contains("\n"), !text.contains("\r") else { return nil }
        return text
    }

    // MARK: Pages and actions behind the sign-in

    /// A page for signed-in users; others go to the sign-in page.
    func page(_ request: Request, _ context: DashboardContext, _ body: (Request, SignedIn) -> Response) -> Response {
        guard let signedIn = context.signedIn else {
            var target = request.uri.path
            if let query = request.uri.query { target += "?" + query }
            return .seeOther("/sign-in?next=" + FormFields.encode(target))
        }
        return body(request, signedIn)
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
            outcome = try actions.perform(action, by: signedIn.person, reason: form["reason"])
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
        if let followUp = outcome.followUp {
            if let launcher {
                let person = signedIn.person
                let logger = self.logger
                let task = Task {
                    do {
                        _ = try await launcher.launch(followUp, by: person)
                    } catch {
                        logger.error("the run after \(action.name) by \(person.name) could not be carried out: \(error)")
                    }
                }
                launches.withLock { $0.append(task) }
                text += "; the run is starting in the background"
            } else {
                text += "; run `ferry resume` (or the dashboard with a browser configured) to work it"
            }
        }
        setNotice(Notice(text: text, isError: false), for: signedIn)
        return .seeOther(Self.localPath(form["back"]) ?? back)
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
