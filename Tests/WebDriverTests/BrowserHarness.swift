import FixtureSites
import Foundation
import WebDriver

/// What the browser tests share: the fixture sites and one chromedriver, started once per test
/// process. Each test opens its own session. The driver's watchdog ends Chromium when the process exits.
actor BrowserHarness {
    static let shared = BrowserHarness()

    struct Environment: Sendable {
        let sites: FixtureEndpoints
        let driver: ChromeDriverService
    }

    /// The one start, shared: suites run in parallel and all ask at once, and an actor lets the next
    /// caller in while the first awaits. Without it each started its own sites and chromedriver, and
    /// each overwritten driver was stopped (its `deinit`) as soon as its test let go of it.
    private var starting: Task<Environment, any Error>?

    func environment() async throws -> Environment {
        let task = starting ?? Task {
            let sites = try await FixtureServer(FixtureConfiguration()).start()
            let driver = try await ChromeDriverService.start()
            return Environment(sites: sites, driver: driver)
        }
        starting = task
        do {
            return try await task.value
        } catch {
            if starting == task { starting = nil }  // the next test tries again
            throw error
        }
    }

    /// Runs `body` with a new session, and always ends the session afterwards.
    static func withSession<T>(
        _ options: BrowserOptions = BrowserOptions(),
        _ body: (WebDriverSession, FixtureEndpoints) async throws -> T
    ) async throws -> T {
        let environment = try await shared.environment()
        let session = try await WebDriverSession.start(at: environment.driver.url, options: options)
        do {
            let result = try await body(session, environment.sites)
            try await session.quit()
            return result
        } catch {
            try? await session.quit()
            throw error
        }
    }
}

extension FixtureEndpoints {
    func clinic(_ path: String) -> String { clinic.absoluteString + path }
    func ledger(_ path: String) -> String { ledger.absoluteString + path }
}
