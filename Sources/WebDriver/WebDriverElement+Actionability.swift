/// Clicking as the best browser tools do: the element is brought to the middle of the window, the page
/// is asked whether a click there reaches it, and a banner, footer or loading mask in the way is waited
/// out within the step's time, not reported as a failure on the first try.
extension WebDriverElement {
    /// Clicks once the element receives clicks at its centre, waiting up to `timeout` for whatever
    /// covers it to go.
    ///
    /// When time runs out the error says what is in the way (its tag, id, class and text) and where.
    public func clickWhenReceivable(timeout: Duration) async throws(WebDriverError) {
        let deadline = ContinuousClock.now + timeout
        var lastCover: String?
        var lastPoint = ""
        var lastIntercept: WebDriverError?
        repeat {
            let probe = try await script(PageScripts.hitTest)
            if probe["error"] != nil {
                try PageScripts.check(probe, command: "click", locator: locator)
            }
            if let x = probe["x"]?.number, let y = probe["y"]?.number { lastPoint = " at (\(Int(x)), \(Int(y)))" }
            if probe["ok"]?.bool == true {
                do throws(WebDriverError) {
                    try await click()
                    return
                } catch where error.code == .elementClickIntercepted {
                    // Something moved in between the look and the click (an animation, a reflow): look again.
                    lastIntercept = error
                }
            } else if probe["covered"]?.bool == true {
                lastCover = probe["by"]?.string
            } else if probe["hidden"]?.bool == true {
                lastCover = nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline

        let message: String
        if let lastCover {
            message = "\(lastCover) covers it\(lastPoint) and did not go within \(timeout). "
                + "Close or wait for what is in the way first (a banner's close button, `wait: { hidden: … }`), "
                + "or, if a person would click it anyway, add `force: true` to click it by script"
        } else if let lastIntercept {
            message = lastIntercept.detail
        } else {
            message = "the element has no size on the page (hidden) and did not show within \(timeout)"
        }
        throw WebDriverError(code: .elementClickIntercepted, command: "click", locator: locator, message: message)
    }

    /// Clicks by script (`element.click()`), the explicit escape hatch: no checks, no mouse.
    public func clickByScript() async throws(WebDriverError) {
        try await script("arguments[0].click();")
    }
}
