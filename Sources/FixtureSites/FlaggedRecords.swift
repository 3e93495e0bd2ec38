/// The records planted on every date that a careful clerk would flag before copying them on.
public struct FlaggedRecords: Sendable, Hashable {
    /// The appointment whose patient ID (``PatientRegistry/unknownPatientID``) is not in the registry.
    public let unknownPatientAppointmentID: String
    /// Two appointments with the same patient and time but different IDs: the original, then the copy.
    public let duplicateAppointmentIDs: [String]
    /// The invoice of the billing line whose amount is empty.
    public let missingAmountInvoice: String
    /// The appointment billed by ``missingAmountInvoice``.
    public let missingAmountAppointmentID: String
}
