import FixtureSites
import Foundation
import Testing

/// `ferry run` as cron and systemd timers use it: the exit status and the alert are all they see.
@Suite("ferry run, unattended")
struct RunCommandTests {
    /// A flow that needs no browser and fails its own check, as a run that finds wrong figures does.
    static let failingFlow = """
        flow: failing-check
        description: Finds a total that does not add up.
        stages:
          - name: check
            steps:
              - set: { total: "3" }
              - require: vars.total == '4'
                failure: application
                reason: "The total is ${vars.total}, not 4"
        """

    @Test("a failed run exits 1 and posts one alert naming the flow, the run and the reason to --alert-webhook")
    func alertOnFailure() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let directory = try FerryProcess.temporaryDirectory()
        try Self.failingFlow.write(to: directory.appendingPathComponent("check.yaml"), atomically: true, encoding: .utf8)

        let result = try await OperatorCommandTests.ferry(["run", "check.yaml", "--db", "ferry.db", "--alert-webhook", receiver.url], in: directory)

        #expect(result.status == 1, "\(result.output)")
        let alerts = receiver.received
        #expect(alerts.count == 1)
        #expect(alerts.first?["kind"] == "run_failed")
        #expect(alerts.first?["flow"] == "failing-check")
        #expect(alerts.first?["run_id"]?.hasPrefix("failing-check-") == true)
        #expect(alerts.first?["reason"]?.contains("The total is 3, not 4") == true)
    }

    @Test("a run that succeeds posts nothing")
    func noAlertOnSuccess() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let directory = try FerryProcess.temporaryDirectory()
        try Self.failingFlow.replacingOccurrences(of: "== '4'", with: "== '3'")
            .write(to: directory.appendingPathComponent("check.yaml"), atomically: true, encoding: .utf8)

        let result = try await OperatorCommandTests.ferry(["run", "check.yaml", "--db", "ferry.db", "--alert-webhook", receiver.url], in: directory)

        #expect(result.status == 0, "\(result.output)")
        #expect(receiver.received.isEmpty)
    }

    @Test("--credential-wait takes a duration, and says so otherwise (usage error, 64)")
    func credentialWait() async throws {
        let directory = try FerryProcess.temporaryDirectory()
        try Self.failingFlow.write(to: directory.appendingPathComponent("check.yaml"), atomically: true, encoding: .utf8)
        let refused = try await OperatorCommandTests.ferry(["run", "check.yaml", "--db", "ferry.db", "--credential-wait", "soon"], in: directory)
        #expect(refused.status == 64)
        #expect(refused.output.contains("--credential-wait takes a duration such as 10m"))
    }
}
