import Foundation
import WebDriver

/// The browsers of one run: chromedriver is started once, when the first step needs a browser, and
/// each worker gets its own session. Stopping ends them all.
actor BrowserSupply {
    private let options: RunOptions
    private let downloadDirectory: String
    let secrets: SecretValues
    private var driver: ChromeDriverService?
    private var sessions: [WebDriverSession] = []
    private let onDriverStarted: @Sendable (Int32) -> Void

    init(options: RunOptions, downloadDirectory: String, secrets: SecretValues, onDriverStarted: @escaping @Sendable (Int32) -> Void) {
        self.options = options
        self.downloadDirectory = downloadDirectory
        self.secrets = secrets
        self.onDriverStarted = onDriverStarted
    }

    /// chromedriver being started, so workers that ask at once share one (an actor lets a second
    /// caller in while the first waits for the start).
    private var starting: Task<Result<ChromeDriverService, WebDriverError>, Never>?

    private func remoteURL() async throws(WebDriverError) -> String {
        if let url = options.webDriverURL { return url }
        if let driver { return driver.url }
        let task = starting ?? Task { [options] in
            do throws(WebDriverError) {
                return .success(try await ChromeDriverService.start(executable: options.chromedriver, logger: options.logger))
            } catch {
                return .failure(error)
            }
        }
        starting = task
        let result = await task.value
        starting = nil
        let started = try result.get()
        if driver !== started {
            driver = started
            onDriverStarted(started.processGroup)
        }
        return started.url
    }

    /// A new browser session whose downloads land in the run's download folder.
    func newSession() async throws(WebDriverError) -> WebDriverSession {
        let session = try await openSession()
        sessions.append(session)
        return session
    }

    private func openSession() async throws(WebDriverError) -> WebDriverSession {
        var browser = options.browser
        browser.downloadDirectory = downloadDirectory
        return try await WebDriverSession.start(at: try await remoteURL(), options: browser, logger: options.logger, secrets: secrets)
    }

    /// How many browsers that died one run may replace: a browser that dies on every page is not
    /// started again forever.
    static let maximumReplacements = 10
    private var replacements = 0

    /// Puts a new browser in place of `session`'s, which died (Chromium crashed or was killed, or
    /// chromedriver went with it): chromedriver is started again first when it is gone, then a new
    /// session takes the old one's place (see ``WebDriverSession/takeOver(_:)``). With a remote end
    /// (`webDriverURL`) that does not answer, it throws `remote end unreachable`.
    func replace(_ session: WebDriverSession) async throws(WebDriverError) {
        guard replacements < Self.maximumReplacements else {
            throw WebDriverError(
                code: .sessionNotCreated, command: "start a new browser",
                message: "the browser died \(Self.maximumReplacements) times in this run; no other is started. Check the machine's memory and Chromium (run `ferry doctor`)")
        }
        replacements += 1
        try? await session.quit()
        if let driver, driver.hasExited { stopDriver(driver) }
        let tried = driver
        let fresh: WebDriverSession
        do {
            fresh = try await openSession()
        } catch where error.code == .unreachable && options.webDriverURL == nil {
            // chromedriver itself is gone (its watchdog has ended, or is ending, what it started): start
            // another, unless a worker whose browser died with it has already done so.
            if let tried, tried === driver { stopDriver(tried) }
            fresh = try await openSession()
        }
        session.takeOver(fresh)
    }

    private func stopDriver(_ dead: ChromeDriverService) {
        dead.stop()
        if driver === dead { driver = nil }
    }

    /// Ends one session (a worker that is done).
    func release(_ session: WebDriverSession) async {
        try? await session.quit()
        sessions.removeAll { $0 === session }
    }

    /// Ends every session and stops chromedriver (and its Chromium processes).
    func stop() async {
        for session in sessions { try? await session.quit() }
        sessions.removeAll()
        driver?.stop()
        driver = nil
    }
}
