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

    private var started: Environment?

    func environment() async throws -> Environment {
        if let started { return started }
        let sites = try await FixtureServer(FixtureConfiguration()).start()
        let driver = try await ChromeDriverService.start()
        let environment = Environment(sites: sites, driver: driver)
        started = environment
        return environment
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
