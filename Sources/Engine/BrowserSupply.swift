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

    private func remoteURL() async throws(WebDriverError) -> String {
        if let url = options.webDriverURL { return url }
        if let driver { return driver.url }
        let started = try await ChromeDriverService.start(executable: options.chromedriver, logger: options.logger)
        driver = started
        onDriverStarted(started.processGroup)
        return started.url
    }

    /// A new browser session whose downloads land in the run's download folder.
    func newSession() async throws(WebDriverError) -> WebDriverSession {
        var browser = options.browser
        browser.downloadDirectory = downloadDirectory
        let session = try await WebDriverSession.start(at: try await remoteURL(), options: browser, logger: options.logger, secrets: secrets)
        sessions.append(session)
        return session
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
