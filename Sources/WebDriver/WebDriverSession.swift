import Foundation
import Logging
import Synchronization
import Transport

/// One browser session on a W3C WebDriver remote end: navigation, finding elements, scripts,
/// screenshots.
///
///     let session = try await WebDriverSession.start(at: driver.url)
///     try await session.navigate(to: "http://127.0.0.1:8081/login")
///     try await session.findElement(Locator("#username")).sendKeys("clerk")
///     try await session.quit()
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#sessions
public final class WebDriverSession: Sendable {
    /// The remote end's session, behind a lock so ``takeOver(_:)`` can put a new browser in its place.
    private struct Connection {
        var id: String
        var client: WebDriverClient
        var capabilities: JSONValue
    }

    private let connection: Mutex<Connection>
    public var id: String { connection.withLock { $0.id } }
    public var client: WebDriverClient { connection.withLock { $0.client } }
    /// The capabilities the remote end granted.
    public var capabilities: JSONValue { connection.withLock { $0.capabilities } }
    /// Where downloads land, once set (absolute).
    let downloads = Mutex<String?>(nil)
    /// The window the session started in, the windows it came from, how deep in frames it is.
    let place = Mutex(BrowsingPlace())

    init(id: String, client: WebDriverClient, capabilities: JSONValue) {
        connection = Mutex(Connection(id: id, client: client, capabilities: capabilities))
    }

    /// Makes this session go on in `other`'s browser: every later command goes to `other`'s remote
    /// session. For a browser that died: whoever holds this session object (a worker, the pages it
    /// captured) carries on in the new browser without being handed a new object. Stop using `other`
    /// itself; elements found before belong to the dead browser.
    public func takeOver(_ other: WebDriverSession) {
        let taken = other.connection.withLock { $0 }
        connection.withLock { $0 = taken }
        let directory = other.downloadDirectory
        downloads.withLock { $0 = directory }
        place.withLock { $0 = BrowsingPlace() }
    }

    /// Opens a session on the remote end at `url` (a local chromedriver or any W3C remote end).
    public static func start(
        at url: String, options: BrowserOptions = BrowserOptions(), logger: Logger? = nil, secrets: SecretValues = SecretValues()
    ) async throws(WebDriverError) -> WebDriverSession {
        let client = try WebDriverClient(baseURL: url, logger: logger, secrets: secrets)
        return try await start(with: client, options: options)
    }

    /// Opens a session through an existing client.
    public static func start(with client: WebDriverClient, options: BrowserOptions) async throws(WebDriverError) -> WebDriverSession {
        let value: JSONValue
        do throws(WebDriverError) {
            value = try await client.execute("POST", "/session", options.capabilities)
        } catch where error.code == .sessionNotCreated || error.code == .unknownError {
            throw WebDriverError(
                code: .sessionNotCreated, command: error.command,
                message: "the browser could not start: \(error.message). Check that Chromium is installed (apt-get install chromium) and starts: run `\(options.binary ?? "chromium") --headless=new --no-sandbox --dump-dom about:blank`")
        }
        guard let id = value["sessionId"]?.string else {
            throw WebDriverError(code: .protocolViolation, command: "POST /session", message: "the answer has no sessionId")
        }
        let session = WebDriverSession(id: id, client: client, capabilities: value["capabilities"] ?? .null)
        if let directory = options.downloadDirectory {
            try await session.setDownloadDirectory(directory)
        }
        await session.trackPendingRequests()
        return session
    }

    var path: String { "/session/\(id)" }

    // MARK: Navigation

    /// Loads a URL and waits as the page-load strategy says.
    public func navigate(to url: String) async throws(WebDriverError) {
        try await client.execute("POST", path + "/url", ["url": .string(url)])
        place.withLock { $0.frameDepth = 0 }
    }

    public func currentURL() async throws(WebDriverError) -> String {
        try await client.execute("GET", path + "/url").string ?? ""
    }

    public func title() async throws(WebDriverError) -> String {
        try await client.execute("GET", path + "/title").string ?? ""
    }

    public func back() async throws(WebDriverError) { try await client.execute("POST", path + "/back") }
    public func forward() async throws(WebDriverError) { try await client.execute("POST", path + "/forward") }
    public func refresh() async throws(WebDriverError) { try await client.execute("POST", path + "/refresh") }

    /// The page's current DOM serialised as HTML.
    public func pageSource() async throws(WebDriverError) -> String {
        try await client.execute("GET", path + "/source").string ?? ""
    }

    // MARK: Elements

    /// The first element matching the locator; fails at once with `no such element` if there is none.
    public func findElement(_ locator: Locator) async throws(WebDriverError) -> WebDriverElement {
        let strategy = locator.strategy
        do throws(WebDriverError) {
            let value = try await client.execute("POST", path + "/element", ["using": .string(strategy.using), "value": .string(strategy.value)])
            guard let elementID = WebDriverElement.id(in: value) else {
                throw WebDriverError(code: .protocolViolation, command: "POST \(path)/element", message: "the answer holds no element reference")
            }
            return WebDriverElement(session: self, id: elementID, locator: locator)
        } catch {
            throw error.about(locator)
        }
    }

    /// Every element matching the locator, in document order (empty when none does).
    public func findElements(_ locator: Locator) async throws(WebDriverError) -> [WebDriverElement] {
        let strategy = locator.strategy
        do throws(WebDriverError) {
            let value = try await client.execute("POST", path + "/elements", ["using": .string(strategy.using), "value": .string(strategy.value)])
            return (value.array ?? []).compactMap(WebDriverElement.id(in:)).map { WebDriverElement(session: self, id: $0, locator: locator) }
        } catch {
            throw error.about(locator)
        }
    }

    /// Finds the element and sets its value in one round trip (see ``WebDriverElement/fill(_:)``).
    public func fill(_ locator: Locator, with value: String) async throws(WebDriverError) {
        let query = locator.pageQuery
        let result = try await executeScript(PageScripts.findAndFill, arguments: [.string(query.using), .string(query.value), .string(value)])
        try PageScripts.check(result, command: "fill", locator: locator)
    }

    // MARK: Scripts

    /// Runs a script in the page and returns its result. Arguments are available as `arguments[i]`;
    /// elements (``WebDriverElement/scriptArgument``) arrive as DOM nodes, and returned nodes as references.
    @discardableResult
    public func executeScript(_ script: String, arguments: [JSONValue] = []) async throws(WebDriverError) -> JSONValue {
        try await client.execute("POST", path + "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Runs a script that finishes by calling its last argument (`arguments[arguments.length - 1](result)`).
    @discardableResult
    public func executeAsyncScript(_ script: String, arguments: [JSONValue] = []) async throws(WebDriverError) -> JSONValue {
        try await client.execute("POST", path + "/execute/async", ["script": .string(script), "args": .array(arguments)])
    }

    // MARK: Screenshots and printing

    /// A PNG of the viewport.
    public func screenshot() async throws(WebDriverError) -> Data {
        let value = try await client.execute("GET", path + "/screenshot")
        return try WebDriverSession.decodeBase64(value, command: "GET \(path)/screenshot", what: "PNG")
    }

    /// A PNG of the whole page, beyond the viewport (through DevTools' `Page.captureScreenshot`).
    public func fullPageScreenshot() async throws(WebDriverError) -> Data {
        let value = try await devTools("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        return try WebDriverSession.decodeBase64(value["data"] ?? .null, command: "Page.captureScreenshot", what: "PNG")
    }

    /// The page printed to PDF (A4 portrait by default). Needs a headless browser.
    ///
    /// Related W3C documentation: https://www.w3.org/TR/webdriver2/#print-page
    public func printPDF(landscape: Bool = false, background: Bool = true) async throws(WebDriverError) -> Data {
        let value = try await client.execute(
            "POST", path + "/print",
            ["orientation": .string(landscape ? "landscape" : "portrait"), "background": .bool(background),
             "page": ["width": 21.0, "height": 29.7]])
        return try WebDriverSession.decodeBase64(value, command: "POST \(path)/print", what: "PDF")
    }

    static func decodeBase64(_ value: JSONValue, command: String, what: String) throws(WebDriverError) -> Data {
        guard let base64 = value.string, let data = Data(base64Encoded: base64) else {
            throw WebDriverError(code: .protocolViolation, command: command, message: "the answer is not base64 \(what) data")
        }
        return data
    }

    // MARK: DevTools

    /// Sends a Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute` endpoint.
    @discardableResult
    public func devTools(_ command: String, _ parameters: JSONValue = [:]) async throws(WebDriverError) -> JSONValue {
        try await client.execute("POST", path + "/goog/cdp/execute", ["cmd": .string(command), "params": parameters])
    }

    /// Has every new document count its pending fetch/XMLHttpRequest calls, for the `quiet` wait. A
    /// remote end without DevTools (some grids) is fine: `quiet` then watches the DOM alone.
    func trackPendingRequests() async {
        _ = try? await devTools("Page.addScriptToEvaluateOnNewDocument", ["source": .string(PageScripts.networkTracker)])
    }

    /// Makes downloads land in `directory` (made absolute) without asking.
    public func setDownloadDirectory(_ directory: String) async throws(WebDriverError) {
        let absolute = BrowserOptions.absolute(directory)
        do {
            try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        } catch {
            throw WebDriverError(
                code: .invalidArgument, command: "set download folder",
                message: "cannot create \(absolute): \(error.localizedDescription)")
        }
        try await devTools("Browser.setDownloadBehavior", ["behavior": "allow", "downloadPath": .string(absolute), "eventsEnabled": true])
        downloads.withLock { $0 = absolute }
    }

    /// The folder downloads land in, if one was set.
    public var downloadDirectory: String? { downloads.withLock { $0 } }

    // MARK: Ending

    /// Ends the session on the calling thread, over a connection of its own (the session's may be in the
    /// middle of a command): for a process being stopped, which cannot wait for its tasks. Errors are
    /// ignored; the remote end's own timeout ends a session this does not reach.
    func quitNow(within limit: Duration) {
        let (baseURL, path) = connection.withLock { ($0.client.baseURL, "/session/\($0.id)") }
        guard let transport = try? CurlTransport(timeout: limit, connectTimeout: min(limit, .seconds(2))) else { return }
        _ = try? transport.sendBlocking(HTTPRequest(method: "DELETE", url: baseURL + path))
    }

    /// Ends the session and closes its browser. Ending an already ended session is not an error.
    public func quit() async throws(WebDriverError) {
        do throws(WebDriverError) {
            try await client.execute("DELETE", path)
        } catch where error.code == .invalidSessionID {
            return
        }
    }
}
