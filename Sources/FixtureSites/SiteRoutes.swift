import Hummingbird

/// What both sites share: the error and fault middleware, the control endpoint, the stylesheet,
/// `/` and the sign-in pages. Each site then adds its own routes to the router this builds.
///
/// - `GET /login`: the form with a fresh CSRF token (and "Your session has expired." after `expired=1`).
/// - `POST /login`: 403 for a bad token, the form with "Invalid user name or password." for bad
///   credentials, else the session cookie and a 302 to `next` or ``home`` (always ``home`` under the
///   ``FixtureFaults/loginGoesHome`` switch).
/// - Under ``FixtureFaults/loginInPlace``, a page that needs a session shows the login form itself
///   (``LoginInPlaceMiddleware``).
/// - `GET /logout`: ends the session and shows the form with "You have been signed out."
struct SiteRoutes: Sendable {
    let templates: SiteTemplates
    let auth: SiteAuth
    let faults: FaultSwitches
    /// The form field of the user name (`username` on the clinic, `user` on the ledger).
    let userField: String
    /// The form field of the password (`pwd`, `password`).
    let passwordField: String
    /// Where `/` and a successful sign-in without `next` lead.
    let home: String
    /// What `POST /_control/reset` clears besides the fault switches.
    let reset: @Sendable () -> Void

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorPageMiddleware(templates: templates))
        router.add(middleware: FaultMiddleware(faults: faults, templates: templates))
        router.add(middleware: LoginInPlaceMiddleware(faults: faults) { request, next, notice in
            loginPage(request, next: next, notice: notice)
        })
        ControlRoutes.add(to: router, faults: faults, reset: reset)

        router.get("/static/style.css") { _, _ in
            Response.text(templates.stylesheet, contentType: "text/css; charset=utf-8")
        }
        router.get("/") { request, _ in
            try await auth.require(request) { _ in .redirect(to: home) }
        }
        router.get("/login") { request, _ in
            let query = request.queryFields
            let notice = query["expired"] == "1" ? "Your session has expired. Please sign in again." : nil
            return loginPage(request, next: query["next"], notice: notice)
        }
        router.post("/login") { request, _ in
            let form = try await request.urlEncodedForm()
            switch auth.login(request, token: form["csrf_token"], user: form[userField], password: form[passwordField]) {
            case .signedIn(let sessionID):
                let next = faults.current.loginGoesHome ? home : SiteAuth.safeNext(form["next"], fallback: home)
                var response = Response.redirect(to: next)
                response.setCookie(auth.sessionCookie(sessionID))
                return response
            case .badToken:
                return loginPage(
                    request, next: form["next"], user: form[userField],
                    error: "Your login form has expired or was tampered with. Please sign in again.",
                    status: .forbidden)
            case .badCredentials:
                return loginPage(request, next: form["next"], user: form[userField], error: "Invalid user name or password.")
            }
        }
        router.get("/logout") { request, _ in
            auth.logout(request)
            var response = loginPage(request, next: nil, notice: "You have been signed out.")
            response.setCookie(auth.clearedSessionCookie)
            return response
        }
        return router
    }

    private func loginPage(
        _ request: Request, next: String?, user: String? = nil, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let (token, cookie) = auth.loginToken(for: request)
        var context: [String: Any] = [
            "title": "Sign in", "csrfToken": token, "next": next ?? "", userField: user ?? "",
            "renamedButton": faults.current.renamedButton,
        ]
        if let error { context["error"] = error }
        if let notice { context["notice"] = notice }
        var response = Response.html(templates.render("login", context), status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }
}
