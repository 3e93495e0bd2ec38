/// A validated record about to be entered into the ledger.
struct EntryDraft: Sendable, Equatable {
    var appointmentID: String
    var patientID: String
    var patient: String
    var date: String
    var amountCents: Int
    var notes: String
}
