import Flows
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Logging
import Store
import WebDriver

/// How to run a flow: inputs, who asked, which browser, where files go.
public struct RunOptions: Sendable {
    /// Values for the flow's `inputs:`; the rest take their defaults.
    public var inputs: [String: String] = [:]
    public var trigger: RunTrigger = .cli
    /// Who started the run, for the audit log: `cli:alice`, `operator:bob`, `schedule`.
    public var actor: String = "cli:" + RunOptions.userName
    public var browser = BrowserOptions()
    /// The browser window's size, over the flow's `defaults: window_size:` (`--window-size`).
    public var windowSize: WindowSize?
    /// A W3C remote end to use instead of starting chromedriver (a Selenium Grid).
    public var webDriverURL: String?
    /// A pool of W3C remote ends (`ferry worker --webdriver-url`, repeatable), each with its session cap;
    /// when not empty it takes the place of ``webDriverURL``. One that stops answering leaves the pool.
    public var remoteEnds: [RemoteEnd] = []
    public var chromedriver = "chromedriver"
    /// Overrides every per-item stage's `workers:`.
    public var workers: Int?
    /// Do everything except steps that change the target system.
    public var shadow = false
    /// When the run must have finished (a schedule's deadline): probing a system that is down stops then.
    public var deadline: Date?
    /// How long a session stage waits for another run to finish with the same account.
    public var credentialWait: Duration = .seconds(600)
    /// `ferry doctor`: a failed step is recorded and the run goes on with the next step (a failed stage
    /// with the next stage), so every selector the run can reach is seen; the run still ends failed,
    /// with its first failure. Only with ``shadow``, which takes no step that changes the target.
    public var keepGoing = false
    /// At most this many attempts for any retry policy (nil: as the flow says).
    public var maxAttempts: Int?
    /// Keep the page each selector step acts on (once per step per run) for `ferry doctor --offline`.
    public var capturePages = true
    /// Run folders (`<runs>/<run id>/downloads`, records, written files).
    public var runsDirectory = "runs"
    /// Failure evidence goes to `<screenshots>/<run id>/`.
    public var screenshotsDirectory = "screenshots"
    /// Whether a resume uses ``runsDirectory`` (given with `--runs`, a run folder that was moved) rather
    /// than the folder the run recorded when it started.
    public var overridesRecordedRunsDirectory = false
    /// Whether a resume uses ``screenshotsDirectory`` rather than the folder the run recorded.
    public var overridesRecordedScreenshotsDirectory = false
    /// How often one run may log in again after finding its session expired.
    public var sessionRecoveries = 3
    /// A work item claimed longer ago than this by a worker that stopped is taken over.
    public var itemLease: Duration = .seconds(300)
    /// This process in the names of its workers (`HOST:PID`, then `/worker:N`), which the store keeps as
    /// the holder of each claimed item, so the dashboard says which host and worker has it.
    public var workerName: String = WorkerName.thisProcess
    /// Where `env:` secrets come from.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var logger = Logger(label: "ferry")
    /// Called on every stage, step and item event (for a progress line).
    public var onEvent: (@Sendable (RunEvent) -> Void)?

    public init() {}

    /// The login name of the person running Ferry, for audit rows.
    public static var userName: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}

/// What a run is doing, for progress displays.
public enum RunEvent: Sendable {
    case runStarted(runID: String, flow: String, resumed: Bool)
    case stageStarted(stage: String)
    case stageSkipped(stage: String, reason: String)
    case stepStarted(stage: String, step: Int, name: String, item: String?)
    case stepFailed(stage: String, step: Int, message: String, willRetry: Bool)
    /// `reason` is what people read first for an item in error or review: the flow's reason, the page's message.
    case itemFinished(key: String, state: ItemState, done: Int, total: Int, reason: String?)
    case stageFinished(stage: String)
    case sessionRecovered(reason: String)
    /// The browser (or chromedriver) died and a new one took its place.
    case browserRestarted(reason: String)
    /// A per-item stage waits for workers of other processes: `items` are left to them (new, or held).
    case waitingForWorkers(stage: String, items: Int, reason: String)
    /// A reconciliation gate was checked: what it compared, and whether it passed.
    case gateChecked(name: String, passed: Bool, figures: String)
    case runFinished(state: RunState)
}

/// How a run ended.
public struct RunOutcome: Sendable {
    public var run: RunRecord
    public var itemCounts: [ItemState: Int]
    public var artifacts: [Artifact]

    /// 0 when everything is done, 1 when the run failed, 2 when it finished with items needing review.
    public var exitCode: Int32 {
        switch run.state {
        case .succeeded: 0
        case .needsReview: 2
        case .failed, .interrupted, .running: 1
        }
    }
}
