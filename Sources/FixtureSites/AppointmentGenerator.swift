/// Generates the clinic's appointments and billing lines for any date, deterministically from a seed.
///
/// ```swift
/// let day = AppointmentGenerator(seed: 42).day(ClinicDate("2026-11-22")!)
/// day.appointments.count   // 120...160 on weekdays, 20...40 at weekends (plus the planted copy)
/// ```
///
/// The same seed and date always give the same records, so a demo can run "yesterday" against the
/// real clock and tests can compare exports byte for byte. Every date carries three planted problems
/// (see ``FlaggedRecords``): an unknown patient ID, a duplicated appointment and a billing line
/// without an amount.
public struct AppointmentGenerator: Sendable {
    public let seed: UInt64
    public let registry: PatientRegistry

    public init(seed: UInt64, registry: PatientRegistry = .standard) {
        self.seed = seed
        self.registry = registry
    }

    /// The practitioners who see patients.
    static let practitioners = [
        "Dr. A. Novak", "Dr. B. Lindqvist", "Dr. C. Okafor", "Dr. D. Moreau", "Dr. E. Brandt",
        "Dr. F. Castillo", "Dr. G. Tanaka", "Nurse H. Berg",
    ]

    /// A draft before IDs are assigned in time order.
    private struct Draft {
        var slot: Int
        var patient: Patient
        var practitioner: String
        var type: String
        var status: AppointmentStatus
    }

    /// All records of `date`.
    public func day(_ date: ClinicDate) -> ClinicDay {
        var random = SplitMix64(seed: seed, stream: UInt64(bitPattern: Int64(date.daysSinceEpoch)))
        let count = date.isWeekend ? random.int(in: 20...40) : random.int(in: 120...160)

        // No patient is booked twice into the same slot: the planted duplicate must be the only one.
        var taken = Set<String>()
        var drafts: [Draft] = (0..<count).map { _ in
            let slot = random.int(in: 0...39)
            var patient = random.pick(registry.patients)
            while !taken.insert("\(patient.id) \(slot)").inserted { patient = random.pick(registry.patients) }
            return Draft(
                slot: slot,
                patient: patient,
                practitioner: random.pick(Self.practitioners),
                type: random.pick(VisitType.all).name,
                status: Self.status(random.int(in: 0...99))
            )
        }
        // Stable sort by time slot: the generation order breaks ties.
        drafts = drafts.enumerated().sorted { ($0.element.slot, $0.offset) < ($1.element.slot, $1.offset) }
            .map(\.element)

        // Plant an unknown patient and a duplicate (same patient, same time, another ID), both attended
        // so they also reach the billing report.
        let unknownIndex = random.int(in: 0...(drafts.count - 1))
        let unknownName = "\(random.pick(PatientRegistry.firstNames)) \(random.pick(PatientRegistry.lastNames))"
        drafts[unknownIndex].patient = Patient(id: PatientRegistry.unknownPatientID, name: unknownName)
        drafts[unknownIndex].status = .attended
        var duplicateIndex = random.int(in: 0...(drafts.count - 2))
        if duplicateIndex == unknownIndex { duplicateIndex = (duplicateIndex + 1) % drafts.count }
        drafts[duplicateIndex].status = .attended
        drafts.insert(drafts[duplicateIndex], at: duplicateIndex + 1)
        let duplicateOriginal = duplicateIndex
        let unknownPosition = unknownIndex > duplicateIndex ? unknownIndex + 1 : unknownIndex

        let appointments = drafts.enumerated().map { index, draft in
            Appointment(
                id: "A-\(date.compact)-\(Self.padded(index + 1))",
                date: date,
                time: Self.time(ofSlot: draft.slot),
                patientID: draft.patient.id,
                patientName: draft.patient.name,
                practitioner: draft.practitioner,
                type: draft.type,
                status: draft.status
            )
        }

        var lines: [BillingLine] = []
        for appointment in appointments where appointment.status == .attended {
            let visit = VisitType.named(appointment.type)
            let steps = (visit.priceCents.upperBound - visit.priceCents.lowerBound) / 10
            lines.append(
                BillingLine(
                    invoice: "INV-\(date.compact)-\(Self.padded(lines.count + 1))",
                    appointmentID: appointment.id,
                    patientID: appointment.patientID,
                    patientName: appointment.patientName,
                    code: visit.code,
                    description: visit.description,
                    amountCents: visit.priceCents.lowerBound + 10 * random.int(in: 0...steps)
                )
            )
        }

        // Plant a missing amount on a line that is not already one of the other planted records.
        let planted: Set<String> = [
            appointments[unknownPosition].id, appointments[duplicateOriginal].id,
            appointments[duplicateOriginal + 1].id,
        ]
        let candidates = lines.indices.filter { !planted.contains(lines[$0].appointmentID) }
        let missingIndex = candidates.isEmpty ? 0 : random.pick(candidates)
        let missing = lines[missingIndex]
        lines[missingIndex] = BillingLine(
            invoice: missing.invoice, appointmentID: missing.appointmentID, patientID: missing.patientID,
            patientName: missing.patientName, code: missing.code, description: missing.description,
            amountCents: nil
        )

        return ClinicDay(
            date: date,
            appointments: appointments,
            billingLines: lines,
            flagged: FlaggedRecords(
                unknownPatientAppointmentID: appointments[unknownPosition].id,
                duplicateAppointmentIDs: [appointments[duplicateOriginal].id, appointments[duplicateOriginal + 1].id],
                missingAmountInvoice: missing.invoice,
                missingAmountAppointmentID: missing.appointmentID
            )
        )
    }

    /// Weighted status: 68 % attended, 7 % booked, 10 % no-show, 15 % cancelled.
    private static func status(_ roll: Int) -> AppointmentStatus {
        switch roll {
        case 0..<68: .attended
        case 68..<75: .booked
        case 75..<85: .noShow
        default: .cancelled
        }
    }

    private static func time(ofSlot slot: Int) -> String {
        let minutes = 8 * 60 + slot * 15
        let hour = minutes / 60
        let minute = minutes % 60
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    private static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
