import Store

/// Who performs an action, and through which door; audit rows name them as `operator:NAME`.
public struct Operator: Sendable, Hashable {
    public enum Channel: String, Sendable {
        case dashboard, cli
    }

    public var name: String
    public var role: OperatorRole
    public var channel: Channel

    public init(name: String, role: OperatorRole, channel: Channel) {
        self.name = name
        self.role = role
        self.channel = channel
    }

    /// The audit log's actor for this person.
    public var actor: String { "operator:\(name)" }
}
