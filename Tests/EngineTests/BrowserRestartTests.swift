import Engine
import FixtureSites
import Foundation
import Store
import Synchronization
import Testing
@testable import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

/// A browser that dies is an application error, not the end: a run whose Chromium (or chromedriver)
/// is killed in the middle of a per-item stage starts a new one, logs it in, retries the item, and
/// leaves no process behind.
@Suite("A browser that dies in the middle of a run, in real Chromium", .serialized)
struct BrowserRestartTests {
    /// What to kill.
    enum Victim {
        /// chromedriver (its watchdog then ends the Chromium it started).
        case chromedriver
        /// The Chromium browser process, chromedriver staying up.
        case chromium
    }

    /// Runs the retried look-up flow and kills `victim` as the check of the second record starts.
    static func runKilling(_ victim: Victim, harness: EngineHarness) async throws -> (RunOutcome, killedGroup: Int32?, killedBrowsers: Int) {
        var options = try SessionExpiryTests.options(harness)
        let runID = Mutex<String?>(nil)
        let killed = Mutex<Int32?>(nil)
        let killedBrowsers = Mutex(0)
        let store = harness.store
        let second = SessionExpiryTests.records[1]
        options.onEvent = { event in
            switch event {
            case .runStarted(let id, _, _):
                runID.withLock { $0 = id }
            case .stepStarted(let stage, let step, _, let item) where stage == "look_up" && step == 2 && item == second:
                guard killed.withLock({ $0 == nil }), let id = runID.withLock({ $0 }),
                    let group = try? store.run(id: id)?.processGroup
                else { return }
                killed.withLock { $0 = group }
                switch victim {
                case .chromedriver:
                    kill(group, SIGKILL)
                case .chromium:
                    // The browser process is chromedriver's child (its helpers, the crash handler, are the browser's).
                    let browsers = ChromeDriverService.livingProcesses(inGroup: group).filter { ChromeDriverService.parentOf($0.pid) == group }
                    for browser in browsers { kill(browser.pid, SIGKILL) }
                    killedBrowsers.withLock { $0 = browsers.count }
                }
            default:
                break
            }
        }
        let outcome = try await harness.run(EngineHarness.testFlow("ledger-lookup-retried.yaml"), options)
        return (outcome, killed.withLock { $0 }, killedBrowsers.withLock { $0 })
    }

    @Test("chromedriver killed mid-stage: a new one is started, the session stage runs again, the item is retried; nothing is left running")
    func chromedriverDies() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let (outcome, killedGroup, _) = try await Self.runKilling(.chromedriver, harness: harness)

        let group = try #require(killedGroup)
        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let done = try harness.store.items(runID: outcome.run.id, states: [.done])
        #expect(done.map(\.key).sorted() == SessionExpiryTests.records)
        #expect(outcome.run.processGroup != group, "the new chromedriver's group is recorded for a later resume")
        let secondRows = try harness.store.auditLog(
            entityType: "stage", entityID: "\(outcome.run.id)/look_up@\(SessionExpiryTests.records[1])", limit: 20)
        #expect(secondRows.contains { $0.reason?.contains("started a new browser") == true })
        #expect(ChromeDriverService.livingProcesses(inGroup: group).isEmpty)
        if let last = outcome.run.processGroup { #expect(ChromeDriverService.livingProcesses(inGroup: last).isEmpty) }
    }

    @Test("Chromium killed mid-stage: a new browser on the same chromedriver, logged in again; the business check is not blamed")
    func chromiumDies() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let (outcome, killedGroup, killedBrowsers) = try await Self.runKilling(.chromium, harness: harness)

        let group = try #require(killedGroup)
        #expect(killedBrowsers > 0, "a browser process was killed")
        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let items = try harness.store.items(runID: outcome.run.id, states: [])
        #expect(items.filter { $0.state == .done }.map(\.key).sorted() == SessionExpiryTests.records)
        #expect(items.allSatisfy { $0.state != .needsReview })
        #expect(ChromeDriverService.livingProcesses(inGroup: group).isEmpty)
    }

    @Test("a WebDriver remote end that does not answer is an application error naming it, not a crash")
    func unreachableRemoteEnd() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = try SessionExpiryTests.options(harness)
        options.webDriverURL = "http://127.0.0.1:9"

        let outcome = try await harness.run(EngineHarness.testFlow("ledger-lookup-retried.yaml"), options)

        #expect(outcome.run.state == .failed)
        let failure = try #require(outcome.run.failure)
        #expect(failure.contains("remote end unreachable"))
        #expect(failure.contains("http://127.0.0.1:9"))
    }
}
