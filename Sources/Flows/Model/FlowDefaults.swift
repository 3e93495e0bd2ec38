/// `defaults:`: what every stage and step gets unless it says otherwise.
///
///     defaults:
///       timeout: 15s                       # how long a step waits for its element
///       retry: { attempts: 3, backoff: 2s }
///       on_error: { business: review }
///       expired_when: { element: login.form }
///       window_size: 1280x900              # the browser window (`ferry run --window-size` overrides it)
public struct FlowDefaults: Hashable, Sendable {
    /// How long a step may wait for its element or page; a step's own `timeout:` overrides it.
    public var timeout: FlowDuration
    public var retry: RetryPolicy
    public var onError: ErrorPolicy?
    /// What to do while the target system is down; nil fails at once (then retries as `retry` says).
    public var targetDown: TargetDownPolicy?
    /// How a page shows a login has run out, for every session stage without its own `expired_when:`.
    public var expiredWhen: ExpiryCondition?
    /// The browser window's size; nil keeps Ferry's default (1280x900).
    public var windowSize: WindowSize?

    public init(
        timeout: FlowDuration = .seconds(10), retry: RetryPolicy = .standard, onError: ErrorPolicy? = nil, targetDown: TargetDownPolicy? = nil,
        expiredWhen: ExpiryCondition? = nil
    ) {
        self.timeout = timeout
        self.retry = retry
        self.onError = onError
        self.targetDown = targetDown
        self.expiredWhen = expiredWhen
    }
}
