import Foundation
import WebDriver

/// The browsers of one run: chromedriver is started once, when the first step needs a browser, and
/// each worker gets its own session. Stopping ends them all.
///
/// With a pool of remote ends (``RunOptions/remoteEnds``), each new session goes to the least busy end
/// below its session cap; an end that does not answer is taken out of the pool for
/// ``timeOutOfPool`` and the session is opened on another.
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
        if isRemote { TerminationCleanup.endOnStop(session) }
        return session
    }

    /// Whether browsers come from remote ends this process did not start, which a stop must end one by one.
    private var isRemote: Bool { options.webDriverURL != nil || !options.remoteEnds.isEmpty }

    private func openSession() async throws(WebDriverError) -> WebDriverSession {
        var browser = options.browser
        browser.downloadDirectory = downloadDirectory
        guard !options.remoteEnds.isEmpty else {
            return try await WebDriverSession.start(at: try await remoteURL(), options: browser, logger: options.logger, secrets: secrets)
        }
        var tried: Set<String> = []
        var lastFailure: WebDriverError?
        while let end = nextEnd(excluding: tried) {
            tried.insert(end.url)
            reserved[end.url, default: 0] += 1
            do {
                let session = try await WebDriverSession.start(at: end.url, options: browser, logger: options.logger, secrets: secrets)
                reserved[end.url, default: 1] -= 1
                openOn[ObjectIdentifier(session)] = end.url
                return session
            } catch {
                reserved[end.url, default: 1] -= 1
                lastFailure = error
                if error.code == .unreachable || error.code == .timeout { takeOut(end.url, because: "\(error.code): \(error.message)") }
            }
        }
        if let lastFailure { throw lastFailure }
        let pool = options.remoteEnds.map(\.description).joined(separator: " ")
        throw WebDriverError(
            code: .sessionNotCreated, command: "start a browser",
            message: "every remote end of the pool (\(pool)) is at its session cap or out of the pool for not answering; "
                + "give more remote ends with --webdriver-url, raise their sessions=, or run fewer --workers")
    }

    // MARK: A pool of remote ends

    /// How long a remote end that stopped answering stays out of the pool before it is tried again.
    static let timeOutOfPool: Duration = .seconds(60)
    /// Remote ends out of the pool, with when they may be tried again.
    private var outOfPool: [String: ContinuousClock.Instant] = [:]
    /// Which remote end each open session is on.
    private var openOn: [ObjectIdentifier: String] = [:]
    /// Sessions being opened on each remote end.
    private var reserved: [String: Int] = [:]

    /// The least busy remote end in the pool with room for one more session.
    private func nextEnd(excluding tried: Set<String>) -> RemoteEnd? {
        let now = ContinuousClock.now
        outOfPool = outOfPool.filter { $0.value > now }
        let load = { (url: String) in self.openOn.values.filter { $0 == url }.count + (self.reserved[url] ?? 0) }
        return options.remoteEnds
            .filter { !tried.contains($0.url) && outOfPool[$0.url] == nil && load($0.url) < ($0.sessions ?? Int.max) }
            .min { load($0.url) < load($1.url) }
    }

    private func takeOut(_ url: String, because reason: String) {
        outOfPool[url] = ContinuousClock.now + Self.timeOutOfPool
        options.logger.warning("remote end \(url) taken out of the pool for \(Self.timeOutOfPool): \(reason)")
    }

    /// The remote ends out of the pool now (for the worker's status line).
    func endsOutOfPool() -> [String] {
        let now = ContinuousClock.now
        return outOfPool.filter { $0.value > now }.keys.sorted()
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
        if let url = openOn.removeValue(forKey: ObjectIdentifier(session)) {
            // In a pool, the remote end whose browser stopped answering leaves the pool for a while.
            takeOut(url, because: "its browser stopped answering")
        }
        try? await session.quit()
        if let driver, driver.hasExited { stopDriver(driver) }
        let tried = driver
        let fresh: WebDriverSession
        do {
            fresh = try await openSession()
        } catch where error.code == .unreachable && options.webDriverURL == nil && options.remoteEnds.isEmpty {
            // chromedriver itself is gone (its watchdog has ended, or is ending, what it started): start
            // another, unless a worker whose browser died with it has already done so.
            if let tried, tried === driver { stopDriver(tried) }
            fresh = try await openSession()
        }
        session.takeOver(fresh)
        if let url = openOn.removeValue(forKey: ObjectIdentifier(fresh)) { openOn[ObjectIdentifier(session)] = url }
    }

    private func stopDriver(_ dead: ChromeDriverService) {
        dead.stop()
        if driver === dead { driver = nil }
    }

    /// Ends one session (a worker that is done).
    func release(_ session: WebDriverSession) async {
        try? await session.quit()
        TerminationCleanup.forget(session)
        sessions.removeAll { $0 === session }
        openOn[ObjectIdentifier(session)] = nil
    }

    /// Ends every session and stops chromedriver (and its Chromium processes).
    func stop() async {
        for session in sessions {
            try? await session.quit()
            TerminationCleanup.forget(session)
        }
        sessions.removeAll()
        openOn.removeAll()
        driver?.stop()
        driver = nil
    }
}
