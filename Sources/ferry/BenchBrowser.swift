import FixtureSites
import WebDriver

/// What the browser benchmarks measure against: the fixture sites, a chromedriver and one session.
struct BenchBrowser {
    let fixtures: FixtureServer
    let sites: FixtureEndpoints
    let driver: ChromeDriverService
    let session: WebDriverSession

    static func start() async throws -> BenchBrowser {
        TerminationCleanup.install()
        let fixtures = FixtureServer(FixtureConfiguration())
        let sites = try await fixtures.start()
        let driver = try await ChromeDriverService.start()
        do {
            let session = try await WebDriverSession.start(at: driver.url)
            return BenchBrowser(fixtures: fixtures, sites: sites, driver: driver, session: session)
        } catch {
            driver.stop()
            await fixtures.stop()
            throw error
        }
    }

    func stop() async {
        try? await session.quit()
        driver.stop()
        await fixtures.stop()
    }
}
