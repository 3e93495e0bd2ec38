import Store

/// Who performs an action, and through which door; audit rows name them as `operator:NAME`.
public struct Operator: Sendable, Hashable {
    public enum Channel: String, Sendable {
        case dashboard, cli
    }

    public var name: String
    public var role: OperatorRole
    public var channel: Channel
    /// For the CLI, the operating-system account that ran the command (the `--operator` name is
    /// self-declared; this one is not).
    public var systemUser: String?

    public init(name: String, role: OperatorRole, channel: Channel, systemUser: String? = nil) {
        self.name = name
        self.role = role
        self.channel = channel
        self.systemUser = systemUser
    }

    /// Through which door the action came, for each audit row: `via: dashboard` with the signed-in
    /// session's user, or `via: cli` with the operating-system user that ran the command.
    public var origin: [String: String] {
        switch channel {
        case .dashboard: ["via": "dashboard", "session user": name]
        case .cli: ["via": "cli", "os user": systemUser ?? "unknown"]
        }
    }

    /// The audit log's actor for this person.
    public var actor: String { "operator:\(name)" }
}
