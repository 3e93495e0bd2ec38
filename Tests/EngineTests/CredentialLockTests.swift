import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// Two runs never log one account in at the same time: the second waits, and says for whom.
@Suite("One live session per account", .serialized)
struct CredentialLockTests {
    static let loginOnly = EngineHarness.testFlow("login-only.yaml")

    private func clinicLock() -> String {
        CredentialLock.name(for: [FixtureCredentials.clinicPassword, FixtureCredentials.clinicUser])
    }

    /// A run that is still going and holds the clinic account.
    private func holdingRun(_ harness: EngineHarness, state: RunState) throws -> String {
        let other = RunRecord(id: "other-\(state.rawValue)", flow: "login-only", flowPath: Self.loginOnly, inputs: [:], state: state, trigger: .cli, triggeredBy: "test")
        _ = try harness.store.createRun(other, actor: "test")
        #expect(try harness.store.acquireLock(clinicLock(), holder: other.id, now: Date(), expires: Date().addingTimeInterval(3600)))
        return other.id
    }

    @Test("while another live run holds the account, the login stage waits, then fails naming that run")
    func waitsForTheHolder() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let holder = try holdingRun(harness, state: .running)
        var options = harness.loginOptions()
        options.credentialWait = .seconds(1)

        let outcome = try await harness.run(Self.loginOnly, options)

        #expect(outcome.run.state == .failed)
        #expect(outcome.run.failure?.contains("the account this stage logs in with is in use by run \(holder)") == true)
        #expect(try harness.store.lockHolder(clinicLock(), now: Date()) == holder)
    }

    @Test("a lock left by a run that has ended is taken over; the run releases it when it ends")
    func takesOverFromAnEndedRun() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        _ = try holdingRun(harness, state: .failed)

        let outcome = try await harness.run(Self.loginOnly, harness.loginOptions())

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(try harness.store.lockHolder(clinicLock(), now: Date()) == nil)
        let audit = try harness.store.auditLog(runID: outcome.run.id)
        #expect(audit.contains { ($0.reason ?? "").contains("took over the account lock from run other-failed") })
    }
}

extension EngineHarness {
    /// The login-only flow takes the clinic's address and nothing else.
    func loginOptions() -> RunOptions {
        var options = options()
        options.inputs = ["clinic": sites.clinic.absoluteString]
        return options
    }
}
