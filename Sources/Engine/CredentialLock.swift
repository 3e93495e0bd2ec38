import Flows
import Foundation
import Store
import WebDriver

/// One live session per account: two runs that log the same user in would end each other's sessions
/// on most legacy systems, so a run holds a lock on each account its session stages use.
///
/// The lock is named by a hash of the account's secret values (never the values), held by the run
/// while it lasts, and taken over from a run that has ended or whose browsers are gone.
public enum CredentialLock {
    /// The lock's name for the secret values a session stage types in.
    public static func name(for secretValues: [String]) -> String {
        "credential:" + FileDigest.sha256(Data(secretValues.joined(separator: "\u{1F}").utf8)).prefix(16)
    }

    /// How long a run may hold an account without renewing; a crashed run's lock lapses after it.
    static let lease: TimeInterval = 6 * 3600
}

extension RunExecution {
    /// Takes the lock on the account a session stage logs in with, waiting (up to the run's
    /// `credentialWait`) while another live run holds it.
    func holdCredentials(for stage: Stage) async throws(StepFailure) {
        let names = Set(stage.allSteps.flatMap { $0.action.templates.flatMap(\.references) }.filter { $0.root == "secrets" }.compactMap(\.field))
        let values = names.sorted().compactMap { baseContext.secrets[$0]?.text }
        guard !values.isEmpty else { return }
        let lock = CredentialLock.name(for: values)
        let started = ContinuousClock.now
        var announced = false
        while true {
            let now = Date()
            do {
                if try store.acquireLock(lock, holder: runID, now: now, expires: now.addingTimeInterval(CredentialLock.lease)) { return }
                if let holder = try store.lockHolder(lock, now: now), holderHasEnded(holder) {
                    try store.releaseLock(lock, holder: holder)
                    audit(stage: stage, "took over the account lock from run \(holder), which has ended")
                    continue
                }
            } catch {
                throw StepFailure(stage: stage.name, stepNumber: 1, stepName: "lock the account", location: stage.location,
                                  message: "the store could not lock the account: \(error)")
            }
            let holder = (try? store.lockHolder(lock, now: now)) ?? "another run"
            if ContinuousClock.now - started >= options.credentialWait {
                throw StepFailure(
                    stage: stage.name, stepNumber: 1, stepName: "lock the account", location: stage.location,
                    message: "the account this stage logs in with is in use by run \(holder); two sessions of one account end each other on most legacy systems. "
                        + "Waited \(options.credentialWait); let that run finish (ferry status) and resume this one")
            }
            if !announced {
                announced = true
                audit(stage: stage, "waiting for run \(holder) to finish with the account this stage logs in with")
                options.logger.warning("stage \(stage.name) waits: its account is in use by run \(holder)")
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// A holder is done with the lock when its run is not running, or its browsers are all gone.
    private func holderHasEnded(_ holder: String) -> Bool {
        guard let run = try? store.run(id: holder) else { return true }
        guard run.state == .running else { return true }
        if let group = run.processGroup { return ChromeDriverService.livingProcesses(inGroup: group).isEmpty }
        return false
    }
}
