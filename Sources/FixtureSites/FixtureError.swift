/// An error of the fixture sites, with a message that says what went wrong and what to do next.
///
/// Match on ``code``: `catch let error as FixtureError where error.code == .portInUse`.
public struct FixtureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An open set of error kinds.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The configured port is taken by another process.
        public static let portInUse = Code("portInUse")
        /// No `fixtures/` folder with `clinic/` and `ledger/` templates was found.
        public static let fixturesNotFound = Code("fixturesNotFound")
        /// A template could not be parsed.
        public static let templateInvalid = Code("templateInvalid")
        /// `start()` was called while the sites were already running.
        public static let alreadyRunning = Code("alreadyRunning")
        /// The ledger's entries file (``FixtureConfiguration/ledgerFile``) exists but cannot be read.
        public static let ledgerFileUnreadable = Code("ledgerFileUnreadable")
        /// The server could not start for another reason.
        public static let serverFailed = Code("serverFailed")
    }

    /// What kind of failure this is.
    public let code: Code
    /// A one-line message for a person.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
