/// How often to try a stage or step that fails with an application error, and how long to wait between.
///
///     retry: { attempts: 3, backoff: 2s }          # waits 2s, then 4s
///     retry: { attempts: 5, backoff: 1s, max_backoff: 10s }
///
/// The wait doubles after each failed attempt, up to `max_backoff`. Business errors are never retried:
/// the same data fails the same way.
public struct RetryPolicy: Hashable, Sendable {
    /// How many times in all the work is tried (1 means no retry).
    public var attempts: Int
    /// The wait before the second attempt.
    public var backoff: FlowDuration
    /// The longest wait between two attempts.
    public var maxBackoff: FlowDuration
    public var location: SourceLocation?

    public init(attempts: Int, backoff: FlowDuration, maxBackoff: FlowDuration = .seconds(60), location: SourceLocation? = nil) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.location = location
    }

    /// What a flow gets when it says nothing: three attempts, 2s then 4s apart.
    public static let standard = RetryPolicy(attempts: 3, backoff: .seconds(2))

    /// The most attempts a flow may ask for.
    public static let maximumAttempts = 10

    /// The wait before attempt number `attempt` (2 for the first retry); zero for the first attempt.
    public func delay(beforeAttempt attempt: Int) -> FlowDuration {
        guard attempt > 1 else { return FlowDuration(milliseconds: 0) }
        var wait = backoff.milliseconds
        for _ in 2..<attempt {
            wait *= 2
            if wait >= maxBackoff.milliseconds { break }
        }
        return FlowDuration(milliseconds: min(wait, maxBackoff.milliseconds))
    }
}
