import Synchronization

/// Login tokens and sessions of one site, kept in memory.
///
/// The login form's CSRF token is bound to a pre-session cookie: `GET /login` issues both, and
/// `POST /login` accepts the token only together with its cookie. A session counts its
/// authenticated requests so the ``FixtureFaults/sessionExpiryAfter`` switch can end it.
final class SessionStore: Sendable {
    /// The outcome of checking a request's session cookie.
    enum Access: Equatable {
        case granted(user: String)
        /// No cookie, or an unknown one.
        case missing
        /// The session just ran out under the session-expiry fault and is gone now.
        case expired
    }

    private struct Session {
        let user: String
        var requests: Int
    }

    private struct State {
        var loginTokens: [String: String] = [:]
        var sessions: [String: Session] = [:]
    }

    /// Bounds memory when a crawler keeps fetching the login page without cookies.
    private static let maximumLoginTokens = 10_000

    private let state = Mutex(State())

    /// The CSRF token for `preSessionID`, issuing a new pre-session when it is unknown.
    func loginToken(preSessionID: String?) -> (preSessionID: String, token: String, isNew: Bool) {
        state.withLock { state in
            if let preSessionID, let token = state.loginTokens[preSessionID] {
                return (preSessionID, token, false)
            }
            if state.loginTokens.count >= Self.maximumLoginTokens { state.loginTokens.removeAll() }
            let id = Self.randomToken()
            let token = Self.randomToken()
            state.loginTokens[id] = token
            return (id, token, true)
        }
    }

    /// Whether `token` is the one issued to `preSessionID`.
    func checkLoginToken(preSessionID: String?, token: String?) -> Bool {
        guard let preSessionID, let token, !token.isEmpty else { return false }
        return state.withLock { $0.loginTokens[preSessionID] == token }
    }

    /// Starts a session for `user` and retires the pre-session; returns the session ID for the cookie.
    func startSession(user: String, preSessionID: String?) -> String {
        let id = Self.randomToken()
        state.withLock { state in
            if let preSessionID { state.loginTokens[preSessionID] = nil }
            state.sessions[id] = Session(user: user, requests: 0)
        }
        return id
    }

    /// Checks and counts one authenticated request.
    func authorize(sessionID: String?, expiryAfter: Int?) -> Access {
        guard let sessionID else { return .missing }
        return state.withLock { state in
            guard var session = state.sessions[sessionID] else { return .missing }
            if let expiryAfter, session.requests >= expiryAfter {
                state.sessions[sessionID] = nil
                return .expired
            }
            session.requests += 1
            state.sessions[sessionID] = session
            return .granted(user: session.user)
        }
    }

    /// Ends a session (log out).
    func end(sessionID: String?) {
        guard let sessionID else { return }
        _ = state.withLock { $0.sessions.removeValue(forKey: sessionID) }
    }

    /// 128 random bits as 32 hex digits (cookie- and form-safe).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
