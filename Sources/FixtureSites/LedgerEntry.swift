import Foundation

/// A record entered into the ledger, as listed on `/entries` and returned by `GET /api/entries`.
public struct LedgerEntry: Sendable, Hashable, Codable {
    /// `L-000001`, sequential from the first entry after start or reset.
    public let confirmation: String
    /// The clinic's appointment ID, unique in the ledger: the idempotency key.
    public let appointmentID: String
    public let patientID: String
    public let patient: String
    /// `YYYY-MM-DD`, or empty when not given.
    public let date: String
    public let amountCents: Int
    public let notes: String
    public let source: LedgerEntrySource
    public let enteredAt: Date

    public init(
        confirmation: String, appointmentID: String, patientID: String, patient: String, date: String,
        amountCents: Int, notes: String, source: LedgerEntrySource, enteredAt: Date
    ) {
        self.confirmation = confirmation
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.patient = patient
        self.date = date
        self.amountCents = amountCents
        self.notes = notes
        self.source = source
        self.enteredAt = enteredAt
    }

    private enum CodingKeys: String, CodingKey {
        case confirmation
        case appointmentID = "appointment_id"
        case patientID = "patient_id"
        case patient, date
        case amountCents = "amount_cents"
        case notes, source
        case enteredAt = "entered_at"
    }
}
