/// The fault switches of one site: ways to make it misbehave like a real legacy system.
///
/// Set them with ``FixtureServer/setFaults(_:site:)`` or over HTTP:
/// `curl -X POST -d '{"error500Every": 3}' http://127.0.0.1:8081/_control/faults`.
/// A POST replaces all switches: a field left out is off. Zero counts as off.
public struct FixtureFaults: Sendable, Equatable, Codable {
    /// Delay every response (except `/_control/` and `/static/`) by this many milliseconds.
    public var slowMs: Int?
    /// Answer every Nth request (counting from when the switches were set) with HTTP 500.
    public var error500Every: Int?
    /// End a session after N authenticated requests: the next one is redirected to `/login` (or, with
    /// ``loginInPlace``, answered with the login form at its own URL).
    public var sessionExpiryAfter: Int?
    /// Rename the clinic's "Sign in" button and the ledger's "Save" button, breaking their selectors.
    public var renamedButton: Bool
    /// Ledger: the bulk upload answers HTTP 500 and enters nothing.
    public var uploadFails: Bool
    /// Clinic: the CSV export sends its headers and first line, then hangs.
    public var downloadHangs: Bool
    /// Clinic: the CSV export leaves out its last N appointments, as a truncated export would.
    public var exportDropsRows: Int?
    /// The site is down for maintenance: its next N requests answer HTTP 503 with a maintenance page.
    public var downFor: Int?
    /// Ledger: the next N saves (an entry, an import's confirm, a record's change) commit, then answer
    /// HTTP 500, as a save whose response failed after its database commit.
    public var commitThen500: Int?
    /// Ledger: the next N saves answer HTTP 500 and commit nothing, as a briefly locked database.
    public var fail500: Int?
    /// Ledger: every save waits this many milliseconds after committing before it answers.
    public var saveDelayMs: Int?
    /// A page that needs a session, asked without one (or after ``sessionExpiryAfter`` ended it), answers
    /// the login form at its own URL with HTTP 200 instead of redirecting to `/login`, as many older
    /// applications do.
    public var loginInPlace: Bool
    /// A successful sign-in always lands on the site's home page, ignoring `next`.
    public var loginGoesHome: Bool

    /// No faults.
    public static let none = FixtureFaults()

    public init(
        slowMs: Int? = nil,
        error500Every: Int? = nil,
        sessionExpiryAfter: Int? = nil,
        renamedButton: Bool = false,
        uploadFails: Bool = false,
        downloadHangs: Bool = false,
        exportDropsRows: Int? = nil,
        downFor: Int? = nil,
        commitThen500: Int? = nil,
        fail500: Int? = nil,
        saveDelayMs: Int? = nil,
        loginInPlace: Bool = false,
        loginGoesHome: Bool = false
    ) {
        self.slowMs = slowMs
        self.error500Every = error500Every
        self.sessionExpiryAfter = sessionExpiryAfter
        self.renamedButton = renamedButton
        self.uploadFails = uploadFails
        self.downloadHangs = downloadHangs
        self.exportDropsRows = exportDropsRows
        self.downFor = downFor
        self.commitThen500 = commitThen500
        self.fail500 = fail500
        self.saveDelayMs = saveDelayMs
        self.loginInPlace = loginInPlace
        self.loginGoesHome = loginGoesHome
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case slowMs, error500Every, sessionExpiryAfter, renamedButton, uploadFails, downloadHangs, exportDropsRows, downFor
        case commitThen500, fail500, saveDelayMs, loginInPlace, loginGoesHome
    }

    /// Unknown keys and negative numbers are refused, so a typo does not silently switch nothing.
    public init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = any.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: any,
                debugDescription: "Unknown fault \"\(unknown.stringValue)\"; known faults: "
                    + CodingKeys.allCases.map(\.rawValue).joined(separator: ", ") + "."
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int? {
            guard let value = try container.decodeIfPresent(Int.self, forKey: key) else { return nil }
            guard value >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "\(key.rawValue) must be 0 or more.")
            }
            return value == 0 ? nil : value
        }
        self.slowMs = try count(.slowMs)
        self.error500Every = try count(.error500Every)
        self.sessionExpiryAfter = try count(.sessionExpiryAfter)
        self.renamedButton = try container.decodeIfPresent(Bool.self, forKey: .renamedButton) ?? false
        self.uploadFails = try container.decodeIfPresent(Bool.self, forKey: .uploadFails) ?? false
        self.downloadHangs = try container.decodeIfPresent(Bool.self, forKey: .downloadHangs) ?? false
        self.exportDropsRows = try count(.exportDropsRows)
        self.downFor = try count(.downFor)
        self.commitThen500 = try count(.commitThen500)
        self.fail500 = try count(.fail500)
        self.saveDelayMs = try count(.saveDelayMs)
        self.loginInPlace = try container.decodeIfPresent(Bool.self, forKey: .loginInPlace) ?? false
        self.loginGoesHome = try container.decodeIfPresent(Bool.self, forKey: .loginGoesHome) ?? false
    }

    /// Every switch is written, unset counts as `null`, so `GET /_control/faults` documents itself.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slowMs, forKey: .slowMs)
        try container.encode(error500Every, forKey: .error500Every)
        try container.encode(sessionExpiryAfter, forKey: .sessionExpiryAfter)
        try container.encode(renamedButton, forKey: .renamedButton)
        try container.encode(uploadFails, forKey: .uploadFails)
        try container.encode(downloadHangs, forKey: .downloadHangs)
        try container.encode(exportDropsRows, forKey: .exportDropsRows)
        try container.encode(downFor, forKey: .downFor)
        try container.encode(commitThen500, forKey: .commitThen500)
        try container.encode(fail500, forKey: .fail500)
        try container.encode(saveDelayMs, forKey: .saveDelayMs)
        try container.encode(loginInPlace, forKey: .loginInPlace)
        try container.encode(loginGoesHome, forKey: .loginGoesHome)
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
