import Foundation

/// Where the dashboard listens and where it finds flows and run files.
public struct DashboardConfiguration: Sendable {
    /// `127.0.0.1` by default: the dashboard is for this machine unless you choose otherwise.
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8080
    /// The run folders (`<runs>/<run id>/…`) and evidence folders (`<screenshots>/<run id>/…`):
    /// artifacts are served only from inside these.
    public var runsDirectory = "runs"
    public var screenshotsDirectory = "screenshots"
    /// Flow files an operator may trigger (only files directly inside, by name).
    public var flowsDirectory = "flows"
    /// Relative artifact paths are tried from here too (the folder a run was started in, e.g. the store's folder).
    public var baseDirectory: String?
    /// Cookies carry `Secure` (HTTPS only); on by default when the host is not a loopback address.
    public var secureCookies: Bool?
    /// Failed sign-ins allowed per user name and client address in ``signInWindow`` before that name is
    /// refused from that address (the count is kept in the store; `ferry users unlock NAME` lifts it).
    public var signInAttempts = 5
    /// Successful sign-ins allowed per user name and address in ``signInWindow`` (each makes a session).
    public var signInSuccesses = 30
    public var signInWindow: Duration = .seconds(15 * 60)
    /// The templates and stylesheet (default: found next to the program, then in the source tree).
    public var templatesDirectory: String?

    public init() {}

    var usesSecureCookies: Bool {
        secureCookies ?? !["127.0.0.1", "::1", "localhost"].contains(host)
    }
}
