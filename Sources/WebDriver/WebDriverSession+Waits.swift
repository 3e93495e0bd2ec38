/// Waiting for the page, resolved inside the page: one async script re-checks the condition on every
/// DOM mutation (and every 25 ms), so a wait returns within milliseconds of the condition becoming true
/// and costs one round trip, not a poll loop over the wire.
extension WebDriverSession {
    /// The longest one in-page wait script runs before Ferry asks again (below chromedriver's script timeout).
    private static let slice: Duration = .seconds(20)

    /// Waits until the condition holds and returns the element it is about (`nil` for `gone`, `url`, `idle`).
    ///
    /// A page that navigates during the wait is waited on again after it loads. When time runs out, the
    /// error names what was awaited, how long, and what was seen (how many elements matched, how many visible).
    @discardableResult
    public func wait(for condition: WaitCondition, timeout: Duration = .seconds(10)) async throws(WebDriverError) -> WebDriverElement? {
        let started = ContinuousClock.now
        let deadline = started + timeout
        let query = condition.locator?.pageQuery
        var quietMilliseconds = 0
        switch condition {
        case .idle(let quiet), .quiet(let quiet): quietMilliseconds = quiet.milliseconds
        default: break
        }
        var lastSeen: JSONValue = .null
        repeat {
            let remaining = deadline - ContinuousClock.now
            let budget = max(0, min(remaining, Self.slice).milliseconds)
            let result: JSONValue
            do throws(WebDriverError) {
                result = try await executeAsyncScript(
                    PageScripts.wait,
                    arguments: [
                        .string(condition.kind), .string(query?.using ?? ""), .string(query?.value ?? ""),
                        .string(condition.expectedText), .number(Double(budget)), .number(Double(quietMilliseconds)),
                    ])
            } catch where Self.isNavigationDuringScript(error) {
                try? await Task.sleep(for: .milliseconds(10))
                continue
            } catch {
                if let locator = condition.locator { throw error.about(locator) }
                throw error
            }
            if result["ok"]?.bool == true {
                guard let locator = condition.locator, let id = WebDriverElement.id(in: result["element"] ?? .null) else { return nil }
                return WebDriverElement(session: self, id: id, locator: locator)
            }
            if result["error"] != nil {
                try PageScripts.check(result, command: "wait for \(condition)", locator: condition.locator)
            }
            lastSeen = result
        } while ContinuousClock.now < deadline

        throw WebDriverError(
            code: .waitTimeout, command: "wait for \(condition)", locator: condition.locator,
            message: "waited \(ContinuousClock.now - started) for \(condition); \(Self.describe(seen: lastSeen, for: condition))")
    }

    /// The text of the first element the locator finds, as ``WaitCondition/changed(_:from:)``
    /// compares it; nil when none matches.
    public func firstText(of locator: Locator) async throws(WebDriverError) -> String? {
        let query = locator.pageQuery
        return try await executeScript(PageScripts.firstText, arguments: [.string(query.using), .string(query.value)]).string
    }

    /// Errors an async script gets when the page it runs in goes away: try again on the new page.
    private static func isNavigationDuringScript(_ error: WebDriverError) -> Bool {
        guard error.code == .javascriptError || error.code == .unknownError || error.code == .scriptTimeout else { return false }
        let message = error.message.lowercased()
        return message.contains("unload") || message.contains("navigat") || message.contains("context")
            || message.contains("detached") || error.code == .scriptTimeout
    }

    private static func describe(seen: JSONValue, for condition: WaitCondition) -> String {
        let url = seen["url"]?.string ?? "?"
        guard condition.locator != nil else {
            let pending = Int(seen["pending"]?.number ?? 0)
            return pending > 0 ? "\(pending) request(s) still pending on \(url)" : "the page is at \(url)"
        }
        let matched = Int(seen["seen"]?.number ?? 0)
        let visible = Int(seen["visible"]?.number ?? 0)
        if case .count = condition { return "\(matched) matched on \(url)" }
        switch (matched, visible) {
        case (0, _): return "no element matched on \(url); check the selector or whether the page changed"
        case (_, 0): return "\(matched) element(s) matched but none is visible on \(url)"
        default: return "\(matched) element(s) matched, \(visible) visible, on \(url)"
        }
    }
}
