/// A WebDriver command that failed: the remote end's W3C error, or a failure to reach or run it.
///
/// Match on the open ``Code``: `catch let error as WebDriverError where error.code == .noSuchElement`.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#errors
public struct WebDriverError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The W3C error code (`no such element`) or a Ferry-side name for failures before the remote end.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        // W3C error codes.
        public static let elementClickIntercepted = Code("element click intercepted")
        public static let elementNotInteractable = Code("element not interactable")
        public static let insecureCertificate = Code("insecure certificate")
        public static let invalidArgument = Code("invalid argument")
        public static let invalidCookieDomain = Code("invalid cookie domain")
        public static let invalidElementState = Code("invalid element state")
        public static let invalidSelector = Code("invalid selector")
        public static let invalidSessionID = Code("invalid session id")
        public static let javascriptError = Code("javascript error")
        public static let moveTargetOutOfBounds = Code("move target out of bounds")
        public static let noSuchAlert = Code("no such alert")
        public static let noSuchCookie = Code("no such cookie")
        public static let noSuchElement = Code("no such element")
        public static let noSuchFrame = Code("no such frame")
        public static let noSuchWindow = Code("no such window")
        public static let noSuchShadowRoot = Code("no such shadow root")
        public static let scriptTimeout = Code("script timeout")
        public static let sessionNotCreated = Code("session not created")
        public static let staleElementReference = Code("stale element reference")
        public static let detachedShadowRoot = Code("detached shadow root")
        public static let timeout = Code("timeout")
        public static let unableToSetCookie = Code("unable to set cookie")
        public static let unableToCaptureScreen = Code("unable to capture screen")
        public static let unexpectedAlertOpen = Code("unexpected alert open")
        public static let unknownCommand = Code("unknown command")
        public static let unknownError = Code("unknown error")
        public static let unknownMethod = Code("unknown method")
        public static let unsupportedOperation = Code("unsupported operation")

        // Failures on Ferry's side of the wire.
        /// The driver program is not installed or not executable.
        public static let driverNotFound = Code("driver not found")
        /// The driver program could not be started or did not become ready.
        public static let driverFailedToStart = Code("driver failed to start")
        /// The remote end could not be reached or broke the connection.
        public static let unreachable = Code("remote end unreachable")
        /// The remote end answered something that is not W3C WebDriver.
        public static let protocolViolation = Code("protocol violation")
        /// A wait's condition did not become true in time.
        public static let waitTimeout = Code("wait timed out")
        /// A click that should have downloaded a file opened a page instead.
        public static let noDownload = Code("no download")
        /// The page being waited on is a server error page (HTTP 5xx).
        public static let pageError = Code("page error")
    }

    public let code: Code
    /// The command, e.g. `POST /session/{id}/element`.
    public let command: String
    /// The locator the command was looking for, when it was about an element.
    public let locator: Locator?
    /// The remote end's message, or Ferry's explanation and what to do.
    public let message: String

    public init(code: Code, command: String, locator: Locator? = nil, message: String) {
        self.code = code
        self.command = command
        self.locator = locator
        self.message = message
    }

    /// The message without a leading repeat of its code (chromedriver writes
    /// `element click intercepted: Element is not clickable…` under the code `element click intercepted`).
    public var detail: String {
        let prefix = code.name + ": "
        return message.lowercased().hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }

    /// A copy that names the locator the failing command was about.
    func about(_ locator: Locator) -> WebDriverError {
        WebDriverError(code: code, command: command, locator: locator, message: message)
    }

    public var description: String {
        var text = "\(code): \(detail)"
        if let locator { text += " [locator: \(locator)]" }
        text += " (command: \(command))"
        return text
    }
}
