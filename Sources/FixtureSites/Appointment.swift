/// One row of the clinic's appointments list and CSV export.
public struct Appointment: Sendable, Hashable {
    /// `A-20261122-0001`: the date and a running number in time order.
    public let id: String
    public let date: ClinicDate
    /// `08:00` ... `17:45`, in 15-minute slots.
    public let time: String
    /// A registry ID such as `P-10042`, or the planted unknown `P-99999`.
    public let patientID: String
    public let patientName: String
    public let practitioner: String
    /// The visit type, e.g. "Check-up".
    public let type: String
    public let status: AppointmentStatus

    public init(
        id: String, date: ClinicDate, time: String, patientID: String, patientName: String,
        practitioner: String, type: String, status: AppointmentStatus
    ) {
        self.id = id
        self.date = date
        self.time = time
        self.patientID = patientID
        self.patientName = patientName
        self.practitioner = practitioner
        self.type = type
        self.status = status
    }

    /// The CSV export's columns, in order.
    public static let csvHeader = [
        "appointment_id", "date", "time", "patient_id", "patient_name", "practitioner", "type", "status",
    ]

    /// This appointment's CSV fields, in the order of ``csvHeader``.
    public var csvFields: [String] {
        [id, date.description, time, patientID, patientName, practitioner, type, status.rawValue]
    }
}
