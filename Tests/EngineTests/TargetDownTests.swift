import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// A legacy system down for maintenance is waited out, not failed at once.
@Suite("When the target system is down", .serialized)
struct TargetDownTests {
    static let flow = EngineHarness.testFlow("login-when-down.yaml")

    @Test("a site answering 503 for its next three requests is probed until it is back, and the run goes on")
    func probedUntilBack() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(downFor: 3), site: .clinic)

        let outcome = try await harness.run(Self.flow, harness.loginOptions())

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let audit = try harness.store.auditLog(runID: outcome.run.id).compactMap(\.reason)
        #expect(audit.contains { $0.contains("is down (HTTP 503); probing every") })
        #expect(audit.contains { $0.contains("is back after 3 probes") })
    }

    @Test("a site that stays down fails once the deadline comes, saying how long it was probed")
    func downUntilTheDeadline() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(downFor: 10_000), site: .clinic)
        var options = harness.loginOptions()
        options.deadline = Date().addingTimeInterval(1.5)
        options.maxAttempts = 1

        let outcome = try await harness.run(Self.flow, options)

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("is down (HTTP 503); probed"))
        #expect(failure.contains("until the run's deadline"))
    }
}
