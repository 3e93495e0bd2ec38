/// One W3C WebDriver remote end of a pool (a Selenium Grid, or chromedriver on another host) and how
/// many browser sessions this process may have open on it at once.
///
/// Written `URL` or `URL,sessions=N` on the command line (`ferry worker --webdriver-url`).
public struct RemoteEnd: Sendable, Hashable, CustomStringConvertible {
    public var url: String
    /// At most this many sessions at once; nil: no cap.
    public var sessions: Int?

    public init(url: String, sessions: Int? = nil) {
        self.url = url
        self.sessions = sessions
    }

    /// Reads `URL` or `URL,sessions=N`; nil when the cap is not a positive whole number or the URL is empty.
    public init?(parsing text: String) {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cap: Int?
        if parts.count > 1, let last = parts.last, last.hasPrefix("sessions=") {
            guard let number = Int(last.dropFirst("sessions=".count)), number > 0 else { return nil }
            cap = number
            parts.removeLast()
        }
        let url = parts.joined(separator: ",")
        guard !url.isEmpty else { return nil }
        self.init(url: url, sessions: cap)
    }

    public var description: String { sessions.map { "\(url),sessions=\($0)" } ?? url }
}
