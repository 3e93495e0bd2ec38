import Foundation

/// What kind of browser session to ask the remote end for.
///
/// The defaults suit an unattended run on a server: Debian's Chromium, headless, no sandbox (Ferry
/// often runs as root in containers), a fixed window size so screenshots and layouts are stable.
public struct BrowserOptions: Sendable {
    public var headless = true
    public var windowWidth = 1280
    public var windowHeight = 900
    /// The Chromium binary; `nil` lets the remote end choose (right for a Selenium Grid).
    public var binary: String? = BrowserOptions.defaultBinary
    public var userAgent: String?
    /// An HTTP proxy as `host:port`.
    public var proxy: String?
    public var acceptInsecureCertificates = false
    /// `normal` (wait for load), `eager` (DOMContentLoaded) or `none`.
    public var pageLoadStrategy = "normal"
    /// An absolute folder where downloads land; relative paths are made absolute (Chromium loses downloads otherwise).
    public var downloadDirectory: String?
    public var pageLoadTimeout: Duration = .seconds(60)
    public var scriptTimeout: Duration = .seconds(30)
    /// Extra Chromium command-line switches.
    public var extraArguments: [String] = []

    public init() {}

    static let defaultBinary: String? = {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }()

    /// The W3C capabilities for `POST /session`.
    ///
    /// Related W3C documentation: https://www.w3.org/TR/webdriver2/#capabilities
    var capabilities: JSONValue {
        var arguments: [JSONValue] = [
            "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-search-engine-choice-screen", "--password-store=basic",
            .string("--window-size=\(windowWidth),\(windowHeight)"),
        ]
        if headless { arguments.append("--headless=new") }
        if let userAgent { arguments.append(.string("--user-agent=\(userAgent)")) }
        arguments += extraArguments.map(JSONValue.string)

        var chromeOptions: [String: JSONValue] = ["args": .array(arguments)]
        if let binary { chromeOptions["binary"] = .string(binary) }
        if let downloadDirectory {
            chromeOptions["prefs"] = [
                "download.default_directory": .string(BrowserOptions.absolute(downloadDirectory)),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
                // Without this, a second download from the same page is silently blocked (no prompt when headless).
                "profile.default_content_setting_values.automatic_downloads": 1,
            ]
        }
        var match: [String: JSONValue] = [
            "browserName": "chrome",
            "pageLoadStrategy": .string(pageLoadStrategy),
            "acceptInsecureCerts": .bool(acceptInsecureCertificates),
            // Chromedriver's default ("dismiss and notify") cancels a confirm() behind the flow's back and
            // fails whatever command comes next. "ignore" leaves the dialog open, so Ferry settles it as the
            // step that opened it says, or fails that step quoting it.
            "unhandledPromptBehavior": "ignore",
            "timeouts": [
                "pageLoad": .number(Double(pageLoadTimeout.milliseconds)),
                "script": .number(Double(scriptTimeout.milliseconds)),
                "implicit": 0,
            ],
            "goog:chromeOptions": .object(chromeOptions),
        ]
        if let proxy {
            match["proxy"] = ["proxyType": "manual", "httpProxy": .string(proxy), "sslProxy": .string(proxy)]
        }
        return ["capabilities": ["alwaysMatch": .object(match)]]
    }

    /// A path made absolute against the current folder (Chromium silently loses downloads to relative folders).
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
