import Foundation

/// What a dashboard user may do: look (`viewer`), act on runs and items (`operator`), and manage users (`admin`).
public enum OperatorRole: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, `operator`, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: OperatorRole, rhs: OperatorRole) -> Bool { lhs.rank < rhs.rank }
}

/// A person who signs in to the dashboard. The password is kept only as a salted, slow hash.
public struct OperatorAccount: Sendable, Hashable {
    public var name: String
    public var role: OperatorRole
    /// `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64): never the password itself.
    public var passwordHash: String
    public var createdAt: Date
    /// When an admin disabled the account (it cannot sign in; its sessions were ended); nil when active.
    public var disabledAt: Date?

    public init(name: String, role: OperatorRole, passwordHash: String, createdAt: Date = Date(), disabledAt: Date? = nil) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}

/// What the sign-in throttle says about one attempt.
public enum SignInAllowance: Sendable, Hashable {
    /// Go on and check the password (the attempt is already counted as a failure until it succeeds).
    case allowed
    /// Refused without checking the password until `until`.
    case refused(until: Date)
}

/// A user name and address the sign-in throttle refuses now, for the users page and `ferry users list`.
public struct SignInLock: Sendable, Hashable {
    public var userName: String
    public var address: String
    public var until: Date
    /// Attempts refused while locked (counted, not one audit row each).
    public var refused: Int

    public init(userName: String, address: String, until: Date, refused: Int) {
        self.userName = userName
        self.address = address
        self.until = until
        self.refused = refused
    }
}

/// How many sign-in attempts the throttle lets through, per user name and address, in one window.
public struct SignInPolicy: Sendable, Hashable {
    /// Failed attempts allowed per user name and address in `window`.
    public var failures: Int
    /// Successful sign-ins allowed per user name and address in `window` (each makes a session).
    public var successes: Int
    public var window: TimeInterval

    public init(failures: Int = 5, successes: Int = 30, window: TimeInterval = 15 * 60) {
        self.failures = failures
        self.successes = successes
        self.window = window
    }
}

/// A signed-in browser: the store keeps the hash of its cookie's token, never the token.
public struct OperatorSessionRecord: Sendable, Hashable {
    public var tokenHash: String
    public var userName: String
    /// The token every form of this session must carry back.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userName: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userName = userName
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A flow's schedule: whether it is paused and when it is next due.
public struct ScheduleState: Sendable, Hashable {
    public var flow: String
    public var paused: Bool
    /// How often it runs, when it has a schedule.
    public var everySeconds: Int?
    public var nextDue: Date?
    public var updatedAt: Date

    public init(flow: String, paused: Bool, everySeconds: Int? = nil, nextDue: Date? = nil, updatedAt: Date = Date()) {
        self.flow = flow
        self.paused = paused
        self.everySeconds = everySeconds
        self.nextDue = nextDue
        self.updatedAt = updatedAt
    }
}

/// Which work items a list shows, newest change first.
public struct ItemQuery: Sendable, Hashable {
    public var states: [ItemState]
    public var flow: String?
    /// Matches the item's key, its run or a payload value (a plain substring, case-insensitive).
    public var text: String?
    public var limit: Int
    public var offset: Int

    public init(states: [ItemState] = [], flow: String? = nil, text: String? = nil, limit: Int = 25, offset: Int = 0) {
        self.states = states
        self.flow = flow
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// Which runs a list shows, newest first.
public struct RunQuery: Sendable, Hashable {
    public var states: [RunState]
    public var flow: String?
    public var text: String?
    public var limit: Int
    public var offset: Int

    public init(states: [RunState] = [], flow: String? = nil, text: String? = nil, limit: Int = 25, offset: Int = 0) {
        self.states = states
        self.flow = flow
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// A work item with the flow of its run, for lists.
public struct ItemListing: Sendable, Hashable {
    public var item: WorkItem
    public var flow: String

    public init(item: WorkItem, flow: String) {
        self.item = item
        self.flow = flow
    }
}
