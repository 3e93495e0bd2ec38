import Foundation

/// An element found in a session's current page, remembered with the locator that found it.
///
/// When the page has replaced the element (a `stale element reference`), an action finds it again
/// once by its locator and retries, which is what a person would do.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#elements
public struct WebDriverElement: Sendable {
    /// The key W3C uses for element references in JSON.
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    public let session: WebDriverSession
    public let id: String
    public let locator: Locator?

    public init(session: WebDriverSession, id: String, locator: Locator?) {
        self.session = session
        self.id = id
        self.locator = locator
    }

    var path: String { "\(session.path)/element/\(id)" }

    static func id(in value: JSONValue) -> String? {
        value[referenceKey]?.string
    }

    /// The element as a script argument.
    public var scriptArgument: JSONValue { [WebDriverElement.referenceKey: .string(id)] }

    /// Sends a command about this element; on a stale reference, re-finds it by its locator once and retries.
    @discardableResult
    func execute(_ method: String, _ suffix: String, _ body: JSONValue? = nil) async throws(WebDriverError) -> JSONValue {
        do throws(WebDriverError) {
            return try await session.client.execute(method, path + suffix, body)
        } catch where error.code == .staleElementReference && locator != nil {
            let fresh = try await session.findElement(locator!)
            return try await fresh.executeOnce(method, suffix, body)
        } catch {
            if let locator { throw error.about(locator) }
            throw error
        }
    }

    private func executeOnce(_ method: String, _ suffix: String, _ body: JSONValue?) async throws(WebDriverError) -> JSONValue {
        do throws(WebDriverError) {
            return try await session.client.execute(method, path + suffix, body)
        } catch {
            if let locator { throw error.about(locator) }
            throw error
        }
    }

    /// Runs a script with this element as `arguments[0]`, re-finding it once if it went stale.
    @discardableResult
    func script(_ source: String, _ arguments: [JSONValue] = []) async throws(WebDriverError) -> JSONValue {
        do throws(WebDriverError) {
            return try await session.executeScript(source, arguments: [scriptArgument] + arguments)
        } catch where error.code == .staleElementReference && locator != nil {
            let fresh = try await session.findElement(locator!)
            return try await session.executeScript(source, arguments: [fresh.scriptArgument] + arguments)
        } catch {
            if let locator { throw error.about(locator) }
            throw error
        }
    }

    // MARK: Interaction

    /// Scrolls the element into view and clicks its centre, as a person would.
    ///
    /// An element covered by another fails with `element click intercepted`, and the message names
    /// the element that would have received the click.
    public func click() async throws(WebDriverError) {
        try await execute("POST", "/click")
    }

    /// Types text as real keystrokes (about 15 ms a character through chromedriver); mix in ``Key`` values.
    public func sendKeys(_ text: String) async throws(WebDriverError) {
        try await execute("POST", "/value", ["text": .string(text)])
    }

    /// Empties an input or textarea.
    public func clear() async throws(WebDriverError) {
        try await execute("POST", "/clear")
    }

    /// Sets an input's value in one script call and fires the `input` and `change` events pages listen
    /// for, as Playwright's `fill` does. Far faster than ``sendKeys(_:)`` on long values.
    public func fill(_ value: String) async throws(WebDriverError) {
        let result = try await script(PageScripts.fill, [.string(value)])
        try PageScripts.check(result, command: "fill", locator: locator)
    }

    /// Chooses the option of a `<select>` whose value or visible text is `option`.
    public func select(_ option: String) async throws(WebDriverError) {
        let result = try await script(PageScripts.select, [.string(option)])
        try PageScripts.check(result, command: "select", locator: locator)
    }

    /// Ticks or unticks a checkbox (or picks a radio button) by clicking it only when its state differs,
    /// waiting up to `timeout` for anything covering it to go (see ``clickWhenReceivable(timeout:)``).
    public func setChecked(_ checked: Bool, timeout: Duration = .seconds(10)) async throws(WebDriverError) {
        if try await isSelected() != checked { try await clickWhenReceivable(timeout: timeout) }
    }

    /// Chooses a file on an `<input type=file>`. A missing or unreadable file is refused before the browser sees it.
    public func upload(file: String) async throws(WebDriverError) {
        let absolute = BrowserOptions.absolute(file)
        guard FileManager.default.isReadableFile(atPath: absolute) else {
            let exists = FileManager.default.fileExists(atPath: absolute)
            throw WebDriverError(
                code: .invalidArgument, command: "upload", locator: locator,
                message: exists ? "\(absolute) cannot be read; check its permissions" : "\(absolute) does not exist; check the path (relative paths start at \(FileManager.default.currentDirectoryPath))")
        }
        try await execute("POST", "/value", ["text": .string(absolute)])
    }

    // MARK: State

    /// The rendered text, as a person sees it.
    public func text() async throws(WebDriverError) -> String {
        try await execute("GET", "/text").string ?? ""
    }

    /// An HTML attribute as written in the markup (`nil` when absent).
    public func attribute(_ name: String) async throws(WebDriverError) -> String? {
        try await execute("GET", "/attribute/\(name)").string
    }

    /// A DOM property (`value`, `checked`), which may differ from the attribute once a person has typed.
    public func property(_ name: String) async throws(WebDriverError) -> JSONValue {
        try await execute("GET", "/property/\(name)")
    }

    public func tagName() async throws(WebDriverError) -> String {
        try await execute("GET", "/name").string ?? ""
    }

    public func isDisplayed() async throws(WebDriverError) -> Bool {
        try await execute("GET", "/displayed").bool ?? false
    }

    public func isEnabled() async throws(WebDriverError) -> Bool {
        try await execute("GET", "/enabled").bool ?? false
    }

    /// Whether a checkbox, radio button or option is selected.
    public func isSelected() async throws(WebDriverError) -> Bool {
        try await execute("GET", "/selected").bool ?? false
    }

    public func rect() async throws(WebDriverError) -> ElementRect {
        let value = try await execute("GET", "/rect")
        return ElementRect(
            x: value["x"]?.number ?? 0, y: value["y"]?.number ?? 0,
            width: value["width"]?.number ?? 0, height: value["height"]?.number ?? 0)
    }

    /// A PNG of just this element.
    public func screenshot() async throws(WebDriverError) -> Data {
        let value = try await execute("GET", "/screenshot")
        return try WebDriverSession.decodeBase64(value, command: "GET \(path)/screenshot", what: "PNG")
    }

    // MARK: Descendants

    /// The first descendant matching the locator.
    public func findElement(_ child: Locator) async throws(WebDriverError) -> WebDriverElement {
        let strategy = child.strategy
        do throws(WebDriverError) {
            let value = try await session.client.execute(
                "POST", path + "/element", ["using": .string(strategy.using), "value": .string(strategy.relativeValue)])
            guard let elementID = WebDriverElement.id(in: value) else {
                throw WebDriverError(code: .protocolViolation, command: "POST \(path)/element", message: "the answer holds no element reference")
            }
            return WebDriverElement(session: session, id: elementID, locator: nil)
        } catch {
            throw error.about(child)
        }
    }

    /// Every descendant matching the locator, in document order (empty when none match).
    public func findElements(_ child: Locator) async throws(WebDriverError) -> [WebDriverElement] {
        let strategy = child.strategy
        do throws(WebDriverError) {
            let value = try await session.client.execute(
                "POST", path + "/elements", ["using": .string(strategy.using), "value": .string(strategy.relativeValue)])
            guard case .array(let items) = value else {
                throw WebDriverError(code: .protocolViolation, command: "POST \(path)/elements", message: "the answer is not a list of elements")
            }
            return items.compactMap { WebDriverElement.id(in: $0) }.map { WebDriverElement(session: session, id: $0, locator: nil) }
        } catch {
            throw error.about(child)
        }
    }
}
