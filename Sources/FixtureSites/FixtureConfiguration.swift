/// How ``FixtureServer`` binds its two servers and seeds its data.
///
/// ```swift
/// let sites = FixtureServer(FixtureConfiguration(clinicPort: 8081, ledgerPort: 8082, seed: 7))
/// ```
///
/// A port of `0` asks the operating system for a free port; the real one is in the
/// ``FixtureEndpoints`` that ``FixtureServer/start()`` returns.
public struct FixtureConfiguration: Sendable {
    /// The address both servers listen on. Keep it on loopback: the sites have demo credentials.
    public var host: String = "127.0.0.1"
    /// The clinic portal's port, `0` for any free port.
    public var clinicPort: Int = 0
    /// The ledger's port, `0` for any free port.
    public var ledgerPort: Int = 0
    /// The seed of the generated clinic data: the same seed and date always give the same records.
    public var seed: UInt64 = 42
    /// The folder holding `clinic/` and `ledger/` templates. When `nil`, the environment variable
    /// `FERRY_FIXTURES_DIR` is used, then the `fixtures/` folder of the package this file was built from.
    public var fixturesDirectory: String? = nil
    /// A JSON file the ledger keeps its entries in, read when it starts and written on every change, so
    /// they outlive the process (`ferry demo` keeps `ferry-demo-ledger.json` beside its store). When `nil`,
    /// the ledger starts empty and keeps its entries in memory (tests).
    public var ledgerFile: String? = nil

    public init(
        host: String = "127.0.0.1",
        clinicPort: Int = 0,
        ledgerPort: Int = 0,
        seed: UInt64 = 42,
        fixturesDirectory: String? = nil,
        ledgerFile: String? = nil
    ) {
        self.host = host
        self.clinicPort = clinicPort
        self.ledgerPort = ledgerPort
        self.seed = seed
        self.fixturesDirectory = fixturesDirectory
        self.ledgerFile = ledgerFile
    }

    /// The configured port of `site`.
    public func port(of site: FixtureSite) -> Int {
        switch site {
        case .clinic: clinicPort
        case .ledger: ledgerPort
        }
    }
}
