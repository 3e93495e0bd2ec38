/// Where an appointment stands, as the clinic portal spells it.
public enum AppointmentStatus: String, Sendable, Hashable, CaseIterable {
    case booked
    case attended
    case noShow = "no-show"
    case cancelled
}
