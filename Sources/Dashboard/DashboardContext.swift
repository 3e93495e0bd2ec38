import Hummingbird
import Operators
import Store

/// The request context: the client's address (for the sign-in limit) and, once the session cookie
/// is checked, who is signed in.
public struct DashboardContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or `unknown` (in-process tests).
    public let remoteAddress: String
    var signedIn: SignedIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// A signed-in user and their session.
struct SignedIn: Sendable {
    let account: OperatorAccount
    let session: OperatorSessionRecord
    let token: String

    var person: Operator { Operator(name: account.name, role: account.role, channel: .dashboard) }
    var canAct: Bool { account.role >= .operator }
}
