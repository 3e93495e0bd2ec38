/// `defaults: { target_down: ... }`: what a run does when the legacy system is down.
///
///     defaults:
///       target_down: { wait: 30m, every: 30s, page_contains: "scheduled maintenance" }
///
/// A page that cannot be reached (connection refused or reset), answers HTTP 502, 503 or 504, or
/// shows the named maintenance text is probed again, the pause doubling from `every` up to five
/// minutes, until `wait` has passed or the run's deadline comes, instead of failing at once.
public struct TargetDownPolicy: Hashable, Sendable {
    public var wait: FlowDuration
    public var every: FlowDuration
    /// Text only the system's maintenance page shows.
    public var pageContains: String?

    public init(wait: FlowDuration, every: FlowDuration = .seconds(30), pageContains: String? = nil) {
        self.wait = wait
        self.every = every
        self.pageContains = pageContains
    }
}
