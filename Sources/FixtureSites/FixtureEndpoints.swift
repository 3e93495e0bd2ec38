import Foundation

/// The base URLs of the running sites, with the ports really bound (e.g. `http://127.0.0.1:41234`).
public struct FixtureEndpoints: Sendable {
    /// The clinic portal (the source system).
    public let clinic: URL
    /// The ledger (the destination system).
    public let ledger: URL

    public init(clinic: URL, ledger: URL) {
        self.clinic = clinic
        self.ledger = ledger
    }

    /// The base URL of `site`.
    public func url(of site: FixtureSite) -> URL {
        switch site {
        case .clinic: clinic
        case .ledger: ledger
        }
    }
}
