/// Something to wait for in the page.
public enum WaitCondition: Sendable, Hashable, CustomStringConvertible {
    /// An element matching the locator is in the DOM.
    case present(Locator)
    /// An element matching the locator is rendered and visible.
    case visible(Locator)
    /// A visible, enabled element matches the locator.
    case clickable(Locator)
    /// No visible element matches the locator (it was removed or hidden).
    case gone(Locator)
    /// An element matching the locator contains the text.
    case text(Locator, contains: String)
    /// The page's URL contains the text.
    case url(contains: String)
    /// The page has loaded and its DOM has not changed for `quiet`.
    case idle(quiet: Duration)
    /// Between `atLeast` and `atMost` elements match the locator (present, visible or not).
    case count(Locator, atLeast: Int, atMost: Int)
    /// The first element matching the locator is there and its text is no longer `from` (a grid
    /// reloaded in place, or the next page of a table).
    case changed(Locator, from: String)
    /// The page has loaded, no fetch or XMLHttpRequest it started is pending, and its DOM has not
    /// changed for `quiet`: an AJAX page that reloads a grid in place has finished.
    case quiet(Duration)

    public var description: String {
        switch self {
        case .present(let locator): "\(locator) to be present"
        case .visible(let locator): "\(locator) to be visible"
        case .clickable(let locator): "\(locator) to be clickable"
        case .gone(let locator): "\(locator) to be gone"
        case .text(let locator, let text): "\(locator) to contain \"\(text)\""
        case .url(let text): "the URL to contain \"\(text)\""
        case .idle(let quiet): "the page to be idle for \(quiet)"
        case .count(let locator, let atLeast, let atMost):
            atLeast == atMost ? "exactly \(atLeast) of \(locator)"
                : atMost == .max ? "at least \(atLeast) of \(locator)" : "\(atLeast) to \(atMost) of \(locator)"
        case .quiet(let quiet): "the page to be quiet (no request pending, no change) for \(quiet)"
        case .changed(let locator, _): "the text of \(locator) to change"
        }
    }

    var kind: String {
        switch self {
        case .present: "present"
        case .visible: "visible"
        case .clickable: "clickable"
        case .gone: "gone"
        case .text: "text"
        case .url: "url"
        case .idle: "idle"
        case .count: "count"
        case .quiet: "quiet"
        case .changed: "changed"
        }
    }

    var locator: Locator? {
        switch self {
        case .present(let locator), .visible(let locator), .clickable(let locator), .gone(let locator), .text(let locator, _),
            .count(let locator, _, _), .changed(let locator, _):
            locator
        case .url, .idle, .quiet:
            nil
        }
    }

    var expectedText: String {
        switch self {
        case .text(_, let text), .url(let text), .changed(_, let text): text
        case .count(_, let atLeast, let atMost): "\(atLeast),\(atMost == .max ? -1 : atMost)"
        default: ""
        }
    }
}
