/// One line of the clinic's billing report: an invoice for an attended appointment.
public struct BillingLine: Sendable, Hashable {
    /// `INV-20261122-0001`.
    public let invoice: String
    public let appointmentID: String
    public let patientID: String
    public let patientName: String
    /// The tariff code, e.g. `GP01`.
    public let code: String
    public let description: String
    /// The amount in euro cents; `nil` for the planted line whose amount is missing.
    public let amountCents: Int?

    public init(
        invoice: String, appointmentID: String, patientID: String, patientName: String,
        code: String, description: String, amountCents: Int?
    ) {
        self.invoice = invoice
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.patientName = patientName
        self.code = code
        self.description = description
        self.amountCents = amountCents
    }

    /// `123.40`, or the empty string when the amount is missing.
    public var amountText: String {
        amountCents.map(Money.format) ?? ""
    }
}
