/// Frames, windows and tabs, and user prompts (alerts).
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#contexts and https://www.w3.org/TR/webdriver2/#user-prompts
extension WebDriverSession {
    // MARK: Frames

    /// Makes the `index`th frame of the current page the context of later commands.
    public func switchToFrame(index: Int) async throws(WebDriverError) {
        try await client.execute("POST", path + "/frame", ["id": .number(Double(index))])
        place.withLock { $0.frameDepth += 1 }
    }

    /// Makes an `<iframe>` or `<frame>` element the context of later commands.
    public func switchToFrame(_ frame: WebDriverElement) async throws(WebDriverError) {
        try await client.execute("POST", path + "/frame", ["id": frame.scriptArgument])
        place.withLock { $0.frameDepth += 1 }
    }

    /// Goes back to the frame that contains the current one.
    public func switchToParentFrame() async throws(WebDriverError) {
        try await client.execute("POST", path + "/frame/parent")
        place.withLock { $0.frameDepth = max(0, $0.frameDepth - 1) }
    }

    /// Goes back to the page itself.
    public func switchToTopFrame() async throws(WebDriverError) {
        try await client.execute("POST", path + "/frame", ["id": .null])
        place.withLock { $0.frameDepth = 0 }
    }

    // MARK: Windows

    /// The handle of the current window or tab.
    public func windowHandle() async throws(WebDriverError) -> String {
        try await client.execute("GET", path + "/window").string ?? ""
    }

    /// The handles of every open window and tab, in the order the browser reports.
    public func windowHandles() async throws(WebDriverError) -> [String] {
        (try await client.execute("GET", path + "/window/handles").array ?? []).compactMap(\.string)
    }

    public func switchToWindow(_ handle: String) async throws(WebDriverError) {
        try await client.execute("POST", path + "/window", ["handle": .string(handle)])
        place.withLock { $0.frameDepth = 0 }
    }

    /// Opens a new tab (or window) and returns its handle; the current context does not change.
    public func newWindow(tab: Bool = true) async throws(WebDriverError) -> String {
        try await client.execute("POST", path + "/window/new", ["type": .string(tab ? "tab" : "window")])["handle"]?.string ?? ""
    }

    /// Closes the current window; returns the handles still open.
    @discardableResult
    public func closeWindow() async throws(WebDriverError) -> [String] {
        (try await client.execute("DELETE", path + "/window").array ?? []).compactMap(\.string)
    }

    /// Waits until a window other than `known` opens (a link with `target=_blank`), and returns its handle.
    public func waitForNewWindow(besides known: [String], timeout: Duration = .seconds(10)) async throws(WebDriverError) -> String {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let handle = try await windowHandles().first(where: { !known.contains($0) }) { return handle }
            try? await Task.sleep(for: .milliseconds(25))
        } while ContinuousClock.now < deadline
        throw WebDriverError(code: .waitTimeout, command: "wait for a new window", message: "no new window opened within \(timeout)")
    }

    // MARK: Alerts

    /// The text of the open alert, confirm or prompt.
    public func alertText() async throws(WebDriverError) -> String {
        try await client.execute("GET", path + "/alert/text").string ?? ""
    }

    /// Presses OK.
    public func acceptAlert() async throws(WebDriverError) {
        try await client.execute("POST", path + "/alert/accept")
    }

    /// Presses Cancel (or closes an alert).
    public func dismissAlert() async throws(WebDriverError) {
        try await client.execute("POST", path + "/alert/dismiss")
    }

    /// The text of the open dialog, or nil when none is open (or the window itself has closed).
    public func openDialogText() async throws(WebDriverError) -> String? {
        do {
            return try await alertText()
        } catch where error.code == .noSuchAlert || error.code == .noSuchWindow {
            return nil
        }
    }

    /// Types into a prompt's field.
    public func sendAlertText(_ text: String) async throws(WebDriverError) {
        try await client.execute("POST", path + "/alert/text", ["text": .string(text)])
    }

    // MARK: Keyboard

    /// Presses and releases keys on whatever has focus (`Key.enter`, or text).
    ///
    /// Related W3C documentation: https://www.w3.org/TR/webdriver2/#actions
    public func press(_ keys: String) async throws(WebDriverError) {
        var actions: [JSONValue] = []
        for character in keys.unicodeScalars {
            actions.append(["type": "keyDown", "value": .string(String(character))])
            actions.append(["type": "keyUp", "value": .string(String(character))])
        }
        try await client.execute("POST", path + "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
        try await client.execute("DELETE", path + "/actions")
    }
}
