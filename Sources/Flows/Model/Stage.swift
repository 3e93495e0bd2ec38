/// A named group of steps, the unit of checkpoints, retries and timeouts.
///
///     - name: upload
///       for_each_item: { workers: 2 }
///       retry: { attempts: 3, backoff: 2s }
///       timeout: 2m
///       steps: [...]
public struct Stage: Hashable, Sendable {
    /// Unique in the flow, `snake_case`.
    public var name: String
    public var description: String?
    /// `if:`: the stage runs only when this holds.
    public var condition: Condition?
    /// `session: true`: the stage (re-)establishes a login. It runs again first on resume, and when a
    /// later step finds the session expired.
    public var isSession: Bool
    /// `for_each_item:`: the stage runs once per work item.
    public var perItem: ItemIteration?
    /// How long one pass of the stage may take (per item in a per-item stage).
    public var timeout: FlowDuration?
    public var retry: RetryPolicy?
    public var onError: ErrorPolicy?
    /// `expired_when:` on a session stage: how a page shows this login has run out (else `defaults:`'s,
    /// else the built-in rule; see ``Flow/expiryCondition(for:)``).
    public var expiredWhen: ExpiryCondition?
    public var steps: [Step]
    /// `dialog:`: what to do with any dialog the stage's steps open (a step's own `dialog:` wins).
    public var dialog: DialogPolicy?
    public var location: SourceLocation

    public init(
        name: String, description: String? = nil, condition: Condition? = nil, isSession: Bool = false,
        perItem: ItemIteration? = nil, timeout: FlowDuration? = nil, retry: RetryPolicy? = nil,
        onError: ErrorPolicy? = nil, expiredWhen: ExpiryCondition? = nil, steps: [Step], location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.condition = condition
        self.isSession = isSession
        self.perItem = perItem
        self.timeout = timeout
        self.retry = retry
        self.onError = onError
        self.expiredWhen = expiredWhen
        self.steps = steps
        self.location = location
    }

    /// Every step, loops' steps included, depth first.
    public var allSteps: [Step] { steps.flatMap(\.flattened) }
}
