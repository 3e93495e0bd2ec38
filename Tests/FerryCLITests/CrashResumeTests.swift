import FixtureSites
import Foundation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kill -9 the runner at random points of the daily sync, then resume: nothing is lost, nothing done twice.
///
/// `FERRY_CRASH_TRIALS` sets the number of trials (6 in the normal suite, which must stay under 15 minutes;
/// `scripts/soak` runs 500).
@Suite("Crash and resume: kill -9 at random points, then ferry resume", .serialized)
struct CrashResumeTests {
    static let trials = Int(ProcessInfo.processInfo.environment["FERRY_CRASH_TRIALS"] ?? "") ?? 6
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let flow = repository.appendingPathComponent("flows/clinic-daily-sync.yaml").path

    /// A small deterministic generator, so a failing trial can be replayed by its number.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func ferry(_ arguments: [String], in directory: URL, sites: FixtureEndpoints) -> FerryProcess {
        let process = FerryProcess(arguments, in: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["CLINIC_USER"] = FixtureCredentials.clinicUser
        environment["CLINIC_PASSWORD"] = FixtureCredentials.clinicPassword
        environment["LEDGER_USER"] = FixtureCredentials.ledgerUser
        environment["LEDGER_PASSWORD"] = FixtureCredentials.ledgerPassword
        process.process.environment = environment
        return process
    }

    @Test("every killed run resumes to the end: store sound, audit chain intact, each Ledger record exactly once, no browser left")
    func killAndResume() async throws {
        var random = SplitMix64(state: 20_261_123)
        var downloadDigests: [String: Set<String>] = [:]
        for trial in 1...Self.trials {
            let fixtures = FixtureServer(FixtureConfiguration())
            let sites = try await fixtures.start()
            let directory = try FerryProcess.temporaryDirectory()
            let db = directory.appendingPathComponent("ferry.db").path
            let common = [
                "--db", db, "--input", "clinic=\(sites.clinic.absoluteString)", "--input", "ledger=\(sites.ledger.absoluteString)",
                "--input", "date=2026-11-22", "--verbose",
            ]

            // Run, and kill -9 somewhere between the first request and the last entry.
            let delay = Duration.milliseconds(Int64(300 + random.next() % 7_000))
            let first = Self.ferry(["run", Self.flow] + common, in: directory, sites: sites)
            try first.start()
            try await Task.sleep(for: delay)
            first.signal(SIGKILL)
            first.process.waitUntilExit()

            // Within three seconds, nothing of that run's browser is left.
            let store = try SQLiteRunStore(path: db)
            let killed = try store.runs(flow: nil, limit: 1).first
            if let group = killed?.processGroup {
                #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(3)), "trial \(trial): browser group \(group) outlived the kill")
            }

            // Resume it (or, if the kill came before the run was recorded, run it again as a person would).
            let second = Self.ferry(killed.map { ["resume", $0.id, "--db", db, "--verbose"] } ?? ["run", Self.flow] + common, in: directory, sites: sites)
            if killed == nil || killed?.state == .running || killed?.state == .failed {
                try second.start()
                #expect(await second.waitForExit(timeout: .seconds(180)), "trial \(trial): the resume did not finish in 3 minutes")
            }

            let run = try #require(try store.runs(flow: nil, limit: 1).first, "trial \(trial): no run")
            #expect(run.state == .needsReview || run.state == .succeeded, "trial \(trial) after \(delay): \(run.state) \(run.failure ?? "")")
            #expect(try store.integrityCheck() == "ok")
            #expect(try store.verifyAuditLog().isIntact, "trial \(trial): audit chain broken")
            let done = try store.items(runID: run.id, states: [.done]).map(\.key)
            let entered = fixtures.ledgerEntries.map(\.appointmentID)
            #expect(entered.count == Set(entered).count, "trial \(trial) after \(delay): a record was entered twice")
            #expect(Set(entered) == Set(done), "trial \(trial) after \(delay): ledger and done items differ")
            for artifact in try store.artifacts(runID: run.id) where artifact.kind == .download {
                let data = try Data(contentsOf: URL(fileURLWithPath: artifact.path))
                #expect(data.count == artifact.size, "trial \(trial): \(artifact.path) changed size")
                downloadDigests[artifact.name ?? "", default: []].insert(artifact.sha256)
            }
            await fixtures.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        // Every trial took the same reports: a half-finished download taken as finished would show as a second digest.
        for (name, digests) in downloadDigests {
            #expect(digests.count == 1, "\(name) was taken with \(digests.count) different contents")
        }
    }
}

extension SQLiteRunStore {
    func integrityCheck() throws -> String { try database.integrityCheck() }
}
