import Synchronization

/// One record of the ledger's records admin: a change list row with fields named `id` and `key`,
/// as off-the-shelf admin applications have them.
public struct LedgerRecord: Sendable, Equatable, Codable {
    /// The record's own id, as its change page's URL uses it (`/records/3/change/`).
    public var id: Int
    /// The record's business key.
    public var key: String
    public var name: String
    /// What a person asked to be noted on the record (the work a flow does).
    public var reviewNote: String
    /// The note saved on the record ("" until a flow saves one).
    public var note: String
}

/// The records admin's records. Their ids are not in list order, so a flow that mistakes its own work
/// item number for the record's id opens another record's page.
final class LedgerRecords: Sendable {
    static let seed: [LedgerRecord] = [
        LedgerRecord(id: 3, key: "R-100", name: "Aldric Supplies", reviewNote: "Invoice address confirmed", note: ""),
        LedgerRecord(id: 5, key: "R-101", name: "Brennan & Daughters", reviewNote: "Credit limit raised to 5000", note: ""),
        LedgerRecord(id: 1, key: "R-102", name: "Corvin Laboratories", reviewNote: "New contact: M. Osei", note: ""),
        LedgerRecord(id: 6, key: "R-103", name: "Dunmore Freight", reviewNote: "Pays by direct debit", note: ""),
        LedgerRecord(id: 2, key: "R-104", name: "Elbe Medical", reviewNote: "VAT number corrected", note: ""),
        LedgerRecord(id: 4, key: "R-105", name: "Fairholm Dental", reviewNote: "Closed on Mondays", note: ""),
    ]

    private let records = Mutex(LedgerRecords.seed)

    /// Every record, in list order.
    var all: [LedgerRecord] { records.withLock { $0 } }

    func record(id: Int) -> LedgerRecord? {
        records.withLock { $0.first { $0.id == id } }
    }

    /// Saves a record's note; false when there is no such record.
    func setNote(_ note: String, id: Int) -> Bool {
        records.withLock { records in
            guard let index = records.firstIndex(where: { $0.id == id }) else { return false }
            records[index].note = note
            return true
        }
    }

    func reset() {
        records.withLock { $0 = Self.seed }
    }
}
