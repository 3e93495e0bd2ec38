/// The ledger's field rules, shared by the entry form and the bulk upload.
///
/// - `appointment_id`: required, `A-YYYYMMDD-NNNN`.
/// - `patient_id`: optional, `P-` and digits when given.
/// - `patient`: required.
/// - `date`: optional, `YYYY-MM-DD` when given.
/// - `amount`: required, a non-negative decimal with at most two decimals (`123.40`).
enum EntryValidator {
    /// The draft, or the messages to show in `<ul class="errors">`.
    static func validate(
        appointmentID: String?, patientID: String?, patient: String?, date: String?, amount: String?,
        notes: String? = nil
    ) -> Result<EntryDraft, EntryValidationErrors> {
        let appointmentID = (appointmentID ?? "").trimmingSpaces
        let patientID = (patientID ?? "").trimmingSpaces
        let patient = (patient ?? "").trimmingSpaces
        let date = (date ?? "").trimmingSpaces
        let amount = (amount ?? "").trimmingSpaces
        var messages: [String] = []

        if appointmentID.isEmpty {
            messages.append("Appointment ID is required.")
        } else if !isAppointmentID(appointmentID) {
            messages.append("Appointment ID \"\(appointmentID)\" must look like A-20261122-0001.")
        }
        if !patientID.isEmpty, !isPatientID(patientID) {
            messages.append("Patient ID \"\(patientID)\" must look like P-10001.")
        }
        if patient.isEmpty {
            messages.append("Patient is required.")
        }
        if !date.isEmpty, ClinicDate(date) == nil {
            messages.append("Date \"\(date)\" must be a date like 2026-11-22.")
        }
        let cents = Money.parseCents(amount)
        if amount.isEmpty {
            messages.append("Amount is required.")
        } else if cents == nil {
            messages.append("Amount \"\(amount)\" must be a decimal like 123.40.")
        }
        guard messages.isEmpty, let cents else { return .failure(EntryValidationErrors(messages: messages)) }
        return .success(
            EntryDraft(
                appointmentID: appointmentID, patientID: patientID, patient: patient, date: date,
                amountCents: cents, notes: notes ?? ""
            )
        )
    }

    static func isAppointmentID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "A" && parts[1].count == 8 && parts[2].count == 4
            && (parts[1] + parts[2]).allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isPatientID(_ text: String) -> Bool {
        text.hasPrefix("P-") && text.count > 2 && text.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
