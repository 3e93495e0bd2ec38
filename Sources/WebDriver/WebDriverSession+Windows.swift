/// Popups as a flow sees them: the newest window, the window whose title or URL matches, closing a
/// popup and going back to the window it came from, and going back to the start.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#contexts
extension WebDriverSession {
    /// How often the window list is asked for while waiting for a window to open.
    static let windowPoll: Duration = .milliseconds(50)

    /// The window the session started in: the current one the first time it is asked, as no window
    /// was switched to before (every switch here asks first).
    public func mainWindow() async throws(WebDriverError) -> String {
        if let main = place.withLock({ $0.mainWindow }) { return main }
        let current = try await windowHandle()
        place.withLock { place in
            if place.mainWindow == nil {
                place.mainWindow = current
                if !place.seen.contains(current) { place.seen.insert(current, at: 0) }
            }
        }
        return place.withLock { $0.mainWindow } ?? current
    }

    /// The handles open now; those not seen before join the end of the seen order.
    private func openWindows() async throws(WebDriverError) -> [String] {
        let handles = try await windowHandles()
        place.withLock { place in
            for handle in handles where !place.seen.contains(handle) { place.seen.append(handle) }
        }
        return handles
    }

    /// Goes to the window opened last besides the main one, waiting up to `timeout` for one to open
    /// when there is none, or only the current one. Returns its handle.
    @discardableResult
    public func switchToNewestWindow(timeout: Duration) async throws(WebDriverError) -> String {
        let main = try await mainWindow()
        let current = try await windowHandle()
        let deadline = ContinuousClock.now + timeout
        repeat {
            let open = try await openWindows()
            let seen = place.withLock { $0.seen }
            if let newest = seen.last(where: { open.contains($0) && $0 != main }), newest != current {
                try await switchToWindow(newest)
                place.withLock { $0.trail.append(current) }
                return newest
            }
            try? await Task.sleep(for: Self.windowPoll)
        } while ContinuousClock.now < deadline
        throw WebDriverError(
            code: .waitTimeout, command: "switch to the newest window",
            message: "no new window opened within \(timeout); the page may open it in the same window, or the click that opens it did not happen")
    }

    /// Goes to the window whose page passes `matches` (given its title and URL), waiting up to `timeout`
    /// for it to open. The current window counts too. Returns its handle.
    @discardableResult
    public func switchToWindow(
        timeout: Duration, described: String, where matches: (_ title: String, _ url: String) -> Bool
    ) async throws(WebDriverError) -> String {
        _ = try await mainWindow()
        let origin = try await windowHandle()
        if matches(try await title(), try await currentURL()) { return origin }
        let deadline = ContinuousClock.now + timeout
        var looked: [String] = []
        repeat {
            looked = []
            for handle in try await openWindows() where handle != origin {
                do {
                    try await switchToWindow(handle)
                    let (title, url) = (try await title(), try await currentURL())
                    looked.append("“\(title)” at \(url)")
                    if matches(title, url) {
                        place.withLock { $0.trail.append(origin) }
                        return handle
                    }
                } catch where error.code == .noSuchWindow {
                    continue  // closed while being looked at
                }
            }
            try await switchToWindow(origin)
            try? await Task.sleep(for: Self.windowPoll)
        } while ContinuousClock.now < deadline
        throw WebDriverError(
            code: .waitTimeout, command: "switch to a window",
            message: "no window whose \(described) opened within \(timeout)"
                + (looked.isEmpty ? "; only this window is open" : "; the other windows: " + looked.joined(separator: ", ")))
    }

    /// Closes the current window and goes back to the window it was reached from (else the main one).
    /// Closing the main window is refused: the run goes on in it.
    public func closeWindowAndReturn() async throws(WebDriverError) {
        let main = try await mainWindow()
        // A popup may have closed itself (its Close button): then there is nothing to close.
        var current: String?
        do {
            current = try await windowHandle()
        } catch where error.code == .noSuchWindow {
            current = nil
        }
        guard current != main else {
            throw WebDriverError(
                code: .invalidArgument, command: "close the window",
                message: "this is the run's main window; close a popup after going to it with `window: newest`")
        }
        let open: [String]
        do {
            open = current == nil ? try await windowHandles() : try await closeWindow()
        } catch where error.code == .noSuchWindow {
            open = try await windowHandles()
        }
        let back = place.withLock { place -> String? in
            while let last = place.trail.popLast() {
                if open.contains(last) { return last }
            }
            return nil
        }
        guard let target = back ?? (open.contains(main) ? main : open.first) else {
            throw WebDriverError(code: .noSuchWindow, command: "close the window", message: "no window is left open")
        }
        try await switchToWindow(target)
    }

    /// Goes back to the window the session started in, at the top of its page, and closes the popups
    /// still open, when the client moved anywhere else (a popup, a frame); costs nothing otherwise.
    /// Closing them keeps "the newest window" meaning the one the next click opens.
    public func returnToStart() async throws(WebDriverError) {
        let (main, depth) = place.withLock { ($0.mainWindow, $0.frameDepth) }
        if let main {
            let open = try await windowHandles()
            let current = try? await windowHandle()
            if open.count > 1 || current != main {
                // The main window itself gone (a page closed it): carry on in what is left, closing nothing.
                if open.contains(main) {
                    for handle in open where handle != main {
                        try await switchToWindow(handle)
                        try await closeWindow()
                    }
                }
                try await switchToWindow(open.contains(main) ? main : (open.first ?? main))
                place.withLock { $0.trail = [] }
                return
            }
        }
        if depth > 0 { try await switchToTopFrame() }
    }

    /// Goes back to the window the session started in (popups stay open).
    public func switchToMainWindow() async throws(WebDriverError) {
        let main = try await mainWindow()
        try await switchToWindow(main)
        place.withLock { $0.trail = [] }
    }
}
