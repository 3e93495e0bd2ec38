/// One of the two bundled legacy systems.
public enum FixtureSite: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// The clinic portal: appointments, billing, exports and the WebDriver lab pages.
    case clinic
    /// The ledger: per-record entry form, bulk CSV upload, entries list.
    case ledger

    public var description: String { rawValue }

    /// The command-line option that sets this site's port, named in "port in use" errors.
    var portOption: String { "--\(rawValue)-port" }

    /// The human name shown in page titles and start-up output.
    public var displayName: String {
        switch self {
        case .clinic: "Clinic portal"
        case .ledger: "Ledger"
        }
    }
}
