import FixtureSites
import Foundation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kill -9 inside the windows where a change is uncertain — inside an import wizard (between upload,
/// preview and confirm) and between a save's commit and its HTTP 500 — then `ferry resume`: every row
/// reaches the Ledger exactly once, in every trial.
///
/// They belong to the crash suite, so no two crash trials load the machine at once.
/// `FERRY_EFFECT_CRASH_TRIALS` sets the number of trials per window (3 in the normal suite).
extension CrashResumeTests {
    static let effectTrials = Int(ProcessInfo.processInfo.environment["FERRY_EFFECT_CRASH_TRIALS"] ?? "") ?? 3
    static let testFlows = CrashResumeTests.repository.appendingPathComponent("Tests/EngineTests/Flows")

    /// Six valid Ledger rows.
    static func effectEntries(in directory: URL) throws -> (path: String, keys: [String]) {
        let keys = (1...6).map { "A-20261122-80\(String(format: "%02d", $0))" }
        let csv = "appointment_id,patient_id,patient,date,amount\n"
            + keys.enumerated().map { "\($1),P-10001,Patient \($0 + 1),2026-11-22,\($0 + 1)0.25" }.joined(separator: "\n") + "\n"
        let path = directory.appendingPathComponent("entries.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, keys)
    }

    /// Runs a flow, kills it at a random moment, resumes it, and checks the Ledger holds every row once.
    private func killAndResumeEffects(flow: String, faults: FixtureFaults, inputs: (String, [String]) -> [String], seed: UInt64) async throws {
        var random = CrashResumeTests.SplitMix64(state: seed)
        for trial in 1...Self.effectTrials {
            let fixtures = FixtureServer(FixtureConfiguration())
            let sites = try await fixtures.start()
            fixtures.setFaults(faults, site: .ledger)
            let directory = try FerryProcess.temporaryDirectory()
            let db = directory.appendingPathComponent("ferry.db").path
            let (file, keys) = try Self.effectEntries(in: directory)
            let common = ["--db", db, "--input", "ledger=\(sites.ledger.absoluteString)", "--input", "file=\(file)", "--verbose"] + inputs(file, keys)

            let delay = Duration.milliseconds(Int64(1_500 + random.next() % 6_000))
            let first = CrashResumeTests.ferry(["run", flow] + common, in: directory, sites: sites)
            try first.start()
            try await Task.sleep(for: delay)
            first.signal(SIGKILL)
            await first.waitForExit(timeout: .seconds(30))
            try await Task.sleep(for: .seconds(1))

            let store = try SQLiteRunStore(path: db)
            let killed = try store.runs(flow: nil, limit: 1).first
            if let killed, killed.state == .succeeded {
                // The kill came after the end: nothing to resume, the outcome is checked all the same.
            } else {
                let second = CrashResumeTests.ferry(
                    killed.map { ["resume", $0.id, "--db", db, "--verbose"] } ?? ["run", flow] + common, in: directory, sites: sites)
                try second.start()
                #expect(await second.waitForExit(timeout: .seconds(180)), "trial \(trial): the resume did not finish in 3 minutes")
            }

            let run = try #require(try store.runs(flow: nil, limit: 1).first, "trial \(trial): no run")
            #expect(run.state == .succeeded, "trial \(trial) after \(delay): \(run.state) \(run.failure ?? "")")
            let entered = fixtures.ledgerEntries.map(\.appointmentID)
            #expect(entered.count == Set(entered).count, "trial \(trial) after \(delay): a row was entered twice: \(entered)")
            #expect(Set(entered) == Set(keys), "trial \(trial) after \(delay): rows lost: \(Set(keys).subtracting(entered).sorted())")
            #expect(try store.verifyAuditLog().isIntact, "trial \(trial): audit chain broken")
            #expect(try store.sideEffects(runID: run.id, itemKey: nil).allSatisfy { $0.state == .done }, "trial \(trial): an effect was left uncertain")
            await fixtures.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("kill -9 inside the import wizard (the confirm commits slowly): imported exactly once after the resume")
    func insideTheWizard() async throws {
        try await killAndResumeEffects(
            flow: Self.testFlows.appendingPathComponent("import-wizard.yaml").path,
            faults: FixtureFaults(saveDelayMs: 1_500),
            inputs: { _, keys in ["--input", "last=\(keys.last ?? "")"] },
            seed: 20_261_202)
    }

    @Test("kill -9 between a save's commit and its HTTP 500: every entry exactly once after the resume")
    func betweenCommitAnd500() async throws {
        try await killAndResumeEffects(
            flow: Self.testFlows.appendingPathComponent("ledger-entries.yaml").path,
            faults: FixtureFaults(commitThen500: 1_000, saveDelayMs: 400),
            inputs: { _, _ in [] },
            seed: 20_261_203)
    }
}
