import Hummingbird

/// The login flow both sites share: a CSRF token bound to a pre-session cookie, demo credentials,
/// an HttpOnly session cookie, and redirects to `/login?next=...` for pages that need a session.
struct SiteAuth: Sendable {
    /// The name of the session cookie (`CLINICSESSID`, `LEDGERSESSION`).
    let sessionCookie: String
    /// The name of the cookie the login form's CSRF token is bound to.
    let preSessionCookie: String
    let user: String
    let password: String
    let sessions: SessionStore
    let faults: FaultSwitches

    /// The cookies and demo credentials of `site`.
    init(site: FixtureSite, sessions: SessionStore, faults: FaultSwitches) {
        switch site {
        case .clinic:
            self.init(
                sessionCookie: "CLINICSESSID", preSessionCookie: "CLINICPRESESS", user: FixtureCredentials.clinicUser,
                password: FixtureCredentials.clinicPassword, sessions: sessions, faults: faults)
        case .ledger:
            self.init(
                sessionCookie: "LEDGERSESSION", preSessionCookie: "LEDGERPRESESS", user: FixtureCredentials.ledgerUser,
                password: FixtureCredentials.ledgerPassword, sessions: sessions, faults: faults)
        }
    }

    init(
        sessionCookie: String, preSessionCookie: String, user: String, password: String, sessions: SessionStore,
        faults: FaultSwitches
    ) {
        self.sessionCookie = sessionCookie
        self.preSessionCookie = preSessionCookie
        self.user = user
        self.password = password
        self.sessions = sessions
        self.faults = faults
    }

    /// The outcome of a login form post.
    enum LoginOutcome: Equatable {
        case signedIn(sessionID: String)
        /// The CSRF token is missing or not the one issued with the pre-session cookie.
        case badToken
        case badCredentials
    }

    /// The CSRF token for the login form, and the pre-session cookie to set when it is new.
    func loginToken(for request: Request) -> (token: String, cookie: Cookie?) {
        let issued = sessions.loginToken(preSessionID: request.cookies[preSessionCookie]?.value)
        let cookie = issued.isNew ? Cookie(name: preSessionCookie, value: issued.preSessionID, path: "/", httpOnly: true) : nil
        return (issued.token, cookie)
    }

    /// Checks the posted token, then the credentials.
    func login(_ request: Request, token: String?, user: String?, password: String?) -> LoginOutcome {
        let preSessionID = request.cookies[preSessionCookie]?.value
        guard sessions.checkLoginToken(preSessionID: preSessionID, token: token) else { return .badToken }
        guard user?.trimmingSpaces == self.user, password == self.password else { return .badCredentials }
        return .signedIn(sessionID: sessions.startSession(user: self.user, preSessionID: preSessionID))
    }

    /// The cookie that carries a new session.
    func sessionCookie(_ sessionID: String) -> Cookie {
        Cookie(name: sessionCookie, value: sessionID, path: "/", httpOnly: true)
    }

    /// The cookie that removes the session from the browser.
    var clearedSessionCookie: Cookie {
        Cookie(name: sessionCookie, value: "deleted", maxAge: 0, path: "/", httpOnly: true)
    }

    /// Runs `page` for a signed-in user, or redirects to the login page (counting the request
    /// against the session-expiry fault).
    func require(_ request: Request, _ page: (_ user: String) async throws -> Response) async throws -> Response {
        let sessionID = request.cookies[sessionCookie]?.value
        switch sessions.authorize(sessionID: sessionID, expiryAfter: faults.current.sessionExpiryAfter) {
        case .granted(let user):
            return try await page(user)
        case .missing:
            return .redirect(to: "/login?next=" + FormFields.encode(Self.pathAndQuery(of: request)))
        case .expired:
            var response = Response.redirect(
                to: "/login?next=" + FormFields.encode(Self.pathAndQuery(of: request)) + "&expired=1")
            response.setCookie(clearedSessionCookie)
            return response
        }
    }

    /// Ends the request's session.
    func logout(_ request: Request) {
        sessions.end(sessionID: request.cookies[sessionCookie]?.value)
    }

    /// Where to go after signing in: `next` when it is a local path, `fallback` otherwise.
    static func safeNext(_ next: String?, fallback: String) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.hasPrefix("/login"), !next.hasPrefix("/logout")
        else { return fallback }
        return next
    }

    static func pathAndQuery(of request: Request) -> String {
        let query = request.uri.query ?? ""
        return request.uri.path + (query.isEmpty ? "" : "?" + query)
    }
}
