import Alerts
import FixtureSites
import Flows
import Foundation
import Scheduling
import Store
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: ScheduleClock {
    private let current: Mutex<Date>
    init(_ date: Date) { current = Mutex(date) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// Runs that end when the test says, so overlaps and deadlines can be staged without a browser.
final class ControlledRuns: Sendable {
    private let started = Mutex<[String]>([])
    private let gates = Mutex<[String: CheckedContinuation<LaunchResult, Never>]>([:])

    var slots: [String] { started.withLock { $0 } }

    func launch(_ flow: ScheduledFlow, _ slot: String, _ deadline: Date?) async -> LaunchResult {
        started.withLock { $0.append(slot) }
        return await withCheckedContinuation { continuation in gates.withLock { $0[slot] = continuation } }
    }

    /// Ends the run of a slot; waits (10 s at most) until it has started.
    func finish(_ slot: String, _ result: LaunchResult) async {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let gate = gates.withLock({ $0.removeValue(forKey: slot) }) {
                gate.resume(returning: result)
                return
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the run of slot \(slot) never started (started: \(slots))")
    }
}

@Suite("Schedules, with a clock the test moves")
struct SchedulerTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-schedule-\(UUID().uuidString)").path
    let store: SQLiteRunStore

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: folder + "/ferry.db")
    }

    /// A flow file with the given `schedule:` lines, loaded as ferry serve loads it.
    private func flow(_ schedule: String) throws -> ScheduledFlow {
        let path = folder + "/daily-\(UUID().uuidString.prefix(6)).yaml"
        try """
            flow: nightly-sync
            description: A scheduled flow.
            schedule:
            \(schedule)
            stages:
              - name: wait
                steps:
                  - wait: 1s
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try #require(ScheduledFlow(path: path, flow: try FlowLoader.load(path: path)))
    }

    /// A moment in Berlin.
    private func berlin(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    private static let weekdaySchedule = """
          daily: "05:30"
          timezone: Europe/Berlin
          deadline: "07:30"
          skip: ["2026-12-25"]
          maintenance: ["Sun 05:00-06:00"]
        """

    @Test("a slot starts once when due, not before, and never twice, whichever scheduler sees it")
    func dueOnce() async throws {
        let scheduled = try flow(Self.weekdaySchedule)
        let clock = ManualClock(berlin("2026-11-24 05:29"))
        let runs = ControlledRuns()
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, launch: runs.launch)

        #expect(await scheduler.tick().map(\.kind) == [.notDue])
        clock.set(berlin("2026-11-24 05:30"))
        #expect(await scheduler.tick().map(\.kind) == [.started])
        #expect(await scheduler.tick().map(\.kind) == [.alreadyTaken])
        // Another process serving the same store.
        let other = Scheduler(flows: [scheduled], store: store, clock: clock, holder: "other", launch: runs.launch)
        #expect(await other.tick().map(\.kind) == [.alreadyTaken])

        await runs.finish("2026-11-24T05:30", LaunchResult(runID: "r1", state: .succeeded))
        await scheduler.waitForRuns()
        #expect(runs.slots == ["2026-11-24T05:30"])
        #expect(try store.slot(flow: "nightly-sync", slot: "2026-11-24T05:30")?.outcome == "started")
    }

    @Test("an edited schedule counts from the next tick; a flow taken out of the folder starts nothing")
    func replacedFlows() async throws {
        let clock = ManualClock(berlin("2026-11-24 06:00"))
        let runs = ControlledRuns()
        let scheduler = Scheduler(flows: [], store: store, clock: clock, launch: runs.launch)
        #expect(await scheduler.tick().isEmpty)

        // A maintainer adds the file at 06:00: today's 06:30 is not due, and a new flow has missed nothing.
        await scheduler.replaceFlows([try flow("  daily: \"06:30\"\n  timezone: Europe/Berlin\n  deadline: \"07:00\"")])
        #expect(await scheduler.tick().map(\.kind) == [.notDue])
        // ... and moves it to 06:00: today's slot is due at once.
        await scheduler.replaceFlows([try flow("  daily: \"06:00\"\n  timezone: Europe/Berlin\n  deadline: \"07:00\"")])
        #expect(await scheduler.tick().map(\.kind) == [.started])
        await runs.finish("2026-11-24T06:00", LaunchResult(runID: "r1", state: .succeeded))
        await scheduler.waitForRuns()

        await scheduler.replaceFlows([])
        clock.set(berlin("2026-11-25 06:00"))
        #expect(await scheduler.tick().isEmpty)
        #expect(runs.slots == ["2026-11-24T06:00"])
    }

    @Test("a slot missed while nothing served is caught up before its deadline; past it, it is an alert")
    func missedAndCaughtUp() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let alerts = WebhookAlerts(url: receiver.url, backoff: .milliseconds(10))
        let scheduled = try flow(Self.weekdaySchedule)
        let clock = ManualClock(berlin("2026-11-23 06:10"))
        let runs = ControlledRuns()
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, alerts: alerts, launch: runs.launch)

        #expect(await scheduler.tick().map(\.kind) == [.started])  // late, but before 07:30
        await runs.finish("2026-11-23T05:30", LaunchResult(runID: "r1", state: .succeeded))
        await scheduler.waitForRuns()

        // Down all of Tuesday morning: back at 09:00, past the deadline.
        clock.set(berlin("2026-11-24 09:00"))
        #expect(await scheduler.tick().map(\.kind) == [.missed])
        #expect(await scheduler.tick().map(\.kind) == [.alreadyTaken])
        #expect(runs.slots == ["2026-11-23T05:30"])
        try await eventually { receiver.received.count == 1 }
        #expect(receiver.received.first?["kind"] == "deadline_missed")
        #expect(receiver.received.first?["reason"]?.contains("2026-11-24T05:30") == true)
    }

    @Test("a process that finds the flow's lock taken for the same slot leaves that slot to it, instead of skipping it")
    func lockTakenForTheSameSlot() async throws {
        let scheduled = try flow(Self.weekdaySchedule)
        let now = berlin("2026-11-24 05:30")
        let clock = ManualClock(now)
        let runs = ControlledRuns()
        // Another process has taken the flow's lock for this slot and is about to claim it: the moment two
        // ferry serve on one store race for a slot.
        #expect(try store.acquireLock("flow:nightly-sync", holder: "other/2026-11-24T05:30", now: now, expires: now.addingTimeInterval(3600)))
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, launch: runs.launch)

        #expect(await scheduler.tick().map(\.kind) == [.alreadyTaken])
        #expect(try store.slot(flow: "nightly-sync", slot: "2026-11-24T05:30") == nil, "the slot is the other process's to claim")
        #expect(runs.slots.isEmpty)
    }

    @Test("a slot that comes while the flow still runs is skipped, and says so")
    func overlapping() async throws {
        let scheduled = try flow("""
              cron: "*/15 5-6 * * *"
              timezone: Europe/Berlin
            """)
        let clock = ManualClock(berlin("2026-11-23 05:00"))
        let runs = ControlledRuns()
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, launch: runs.launch)

        #expect(await scheduler.tick().map(\.kind) == [.started])
        clock.set(berlin("2026-11-23 05:15"))
        #expect(await scheduler.tick().map(\.kind) == [.overlapping])
        #expect(try store.slot(flow: "nightly-sync", slot: "2026-11-23T05:15")?.outcome.contains("still going") == true)
        await runs.finish("2026-11-23T05:00", LaunchResult(runID: "r1", state: .succeeded))
        await scheduler.waitForRuns()
        clock.set(berlin("2026-11-23 05:30"))
        #expect(await scheduler.tick().map(\.kind) == [.started])
        await runs.finish("2026-11-23T05:30", LaunchResult(runID: "r2", state: .succeeded))
        await scheduler.waitForRuns()
        #expect(runs.slots == ["2026-11-23T05:00", "2026-11-23T05:30"])
    }

    @Test("a run still going at its deadline raises one alert at the webhook, with the slot and deadline")
    func deadlineAlert() async throws {
        let receiver = try await WebhookReceiver.start(refusingFirst: 1)
        defer { receiver.stop() }
        let alerts = WebhookAlerts(url: receiver.url, backoff: .milliseconds(10))
        let scheduled = try flow(Self.weekdaySchedule)
        let clock = ManualClock(berlin("2026-11-23 05:30"))
        let runs = ControlledRuns()
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, alerts: alerts, launch: runs.launch)
        #expect(await scheduler.tick().map(\.kind) == [.started])

        clock.set(berlin("2026-11-23 07:29"))
        await scheduler.tick()
        clock.set(berlin("2026-11-23 07:31"))
        await scheduler.tick()
        await scheduler.tick()

        try await eventually { receiver.received.count == 1 }
        let alert = try #require(receiver.received.first)
        #expect(alert["kind"] == "deadline_missed")
        #expect(alert["flow"] == "nightly-sync")
        #expect(alert["reason"] == "the run due at 2026-11-23T05:30 is still going at its deadline 2026-11-23T07:30")
        // Delivered on the second try (the first was refused); the sender notes it once the answer is in.
        for _ in 0..<1000 where await alerts.delivered.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await alerts.delivered.count == 1)
        await runs.finish("2026-11-23T05:30", LaunchResult(runID: "r1", state: .succeeded))
        await scheduler.waitForRuns()
        #expect(receiver.received.count == 1)
    }

    @Test("skipped days, maintenance windows and paused flows start nothing and alert nobody")
    func quietTimes() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let scheduled = try flow(Self.weekdaySchedule)
        let clock = ManualClock(berlin("2026-12-25 05:31"))
        let runs = ControlledRuns()
        let paused = Mutex(false)
        let scheduler = Scheduler(
            flows: [scheduled], store: store, clock: clock, alerts: WebhookAlerts(url: receiver.url), isPaused: { _ in paused.withLock { $0 } },
            launch: runs.launch)

        #expect(await scheduler.tick().map(\.kind) == [.skipped("2026-12-25 is a day without runs (schedule: skip)")])
        clock.set(berlin("2026-11-29 05:31"))  // a Sunday, inside 05:00-06:00
        #expect(await scheduler.tick().map(\.kind) == [.skipped("05:30 falls in the maintenance window Sun 05:00-06:00")])
        paused.withLock { $0 = true }
        clock.set(berlin("2026-11-30 05:31"))
        #expect(await scheduler.tick().map(\.kind) == [.paused])
        #expect(runs.slots.isEmpty)
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.received.isEmpty)
        #expect(await scheduler.nextDue()["nightly-sync"] == berlin("2026-12-01 05:30"))
    }

    @Test("a failed run alerts with its step; the same failure three times in a row alerts once more")
    func failureAlerts() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let scheduled = try flow("""
              cron: "0 * * * *"
              timezone: UTC
            """)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))
        let runs = ControlledRuns()
        let alerts = WebhookAlerts(url: receiver.url, format: .json, minimumInterval: .zero)
        let scheduler = Scheduler(flows: [scheduled], store: store, clock: clock, alerts: alerts, launch: runs.launch)
        let failure = "stage 'clinic_login', step 4 (click clinic.login.submit) at flows/shared/clinic-login.yaml:39:9: no element became clickable within 10.0 seconds"
        for hour in 0..<3 {
            clock.set(Date(timeIntervalSince1970: 1_795_000_000 + Double(hour) * 3600))
            let decision = try #require(await scheduler.tick().first)
            #expect(decision.kind == .started)
            await runs.finish(try #require(decision.slot), LaunchResult(runID: "r\(hour)", state: .failed, failure: failure, screenshot: "/tmp/s\(hour).png"))
            await scheduler.waitForRuns()
        }
        try await eventually { receiver.received.count == 4 }
        #expect(receiver.received.filter { $0["kind"] == "run_failed" }.count == 3)
        let repeated = try #require(receiver.received.first { $0["kind"] == "repeated_failure" })
        #expect(repeated["step"] == "stage 'clinic_login', step 4 (click clinic.login.submit) at flows/shared/clinic-login.yaml:39:9")
        #expect(repeated["reason"]?.hasPrefix("3 runs in a row failed the same way") == true)
        #expect(receiver.received.first?["screenshot"] == "/tmp/s0.png")
    }

    @Test("an unreachable webhook is retried, then given up, and never throws")
    func unreachableWebhook() async {
        let alerts = WebhookAlerts(url: "http://127.0.0.1:9/hook", attempts: 2, backoff: .milliseconds(10))
        await alerts.send(Alert(kind: .runFailed, flow: "f", reason: "x"))
        #expect(await alerts.failed == 1)
        #expect(await alerts.delivered.isEmpty)
    }

    @Test("the Slack format is one text with the headline, reason, step and link")
    func slackFormat() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let alerts = WebhookAlerts(url: receiver.url, format: .slack)
        await alerts.send(Alert(kind: .runFailed, flow: "clinic-daily-sync", runID: "r9", step: "stage 'x', step 2", reason: "it broke", link: "http://127.0.0.1:8080/runs/r9"))
        let text = try #require(receiver.received.first?["text"])
        #expect(text == "*Ferry: clinic-daily-sync failed (run r9)*\nit broke\nStep: stage 'x', step 2\n<http://127.0.0.1:8080/runs/r9|Open the run>")
    }

    /// Waits for something another task does, without a timed assertion: gives up after 10 s.
    private func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the condition never became true")
    }
}
