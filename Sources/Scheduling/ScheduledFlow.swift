import Flows
import Store

/// A flow file with a `schedule:`, as the scheduler runs it.
public struct ScheduledFlow: Sendable {
    public var path: String
    public var flow: Flow
    public var schedule: FlowSchedule
    public var calendar: ScheduleCalendar

    /// Nil for a flow without `schedule:`.
    public init?(path: String, flow: Flow) {
        guard let schedule = flow.schedule else { return nil }
        self.path = path
        self.flow = flow
        self.schedule = schedule
        self.calendar = ScheduleCalendar(schedule)
    }
}

/// How a scheduled run ended, as the scheduler needs to know it.
public struct LaunchResult: Sendable {
    public var runID: String
    public var state: RunState
    /// The failure, naming stage, step and flow position, when the run failed.
    public var failure: String?
    public var screenshot: String?

    public init(runID: String, state: RunState, failure: String? = nil, screenshot: String? = nil) {
        self.runID = runID
        self.state = state
        self.failure = failure
        self.screenshot = screenshot
    }
}
