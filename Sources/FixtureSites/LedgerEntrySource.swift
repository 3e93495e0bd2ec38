/// How a record reached the ledger.
public enum LedgerEntrySource: String, Sendable, Hashable, Codable {
    /// The per-record entry form (`POST /entries`).
    case form
    /// The bulk CSV upload (`POST /upload`).
    case upload
}
