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

    public var description: String {
        switch self {
        case .present(let locator): "\(locator) to be present"
        case .visible(let locator): "\(locator) to be visible"
        case .clickable(let locator): "\(locator) to be clickable"
        case .gone(let locator): "\(locator) to be gone"
        case .text(let locator, let text): "\(locator) to contain \"\(text)\""
        case .url(let text): "the URL to contain \"\(text)\""
        case .idle(let quiet): "the page to be idle for \(quiet)"
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
        }
    }

    var locator: Locator? {
        switch self {
        case .present(let locator), .visible(let locator), .clickable(let locator), .gone(let locator), .text(let locator, _):
            locator
        case .url, .idle:
            nil
        }
    }

    var expectedText: String {
        switch self {
        case .text(_, let text), .url(let text): text
        default: ""
        }
    }
}
