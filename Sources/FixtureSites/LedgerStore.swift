import Foundation
import Synchronization

/// The ledger's records, in memory. Checking for a duplicate and entering happen under one lock,
/// so two concurrent submissions of the same appointment cannot both succeed.
final class LedgerStore: Sendable {
    /// A refused entry: the appointment was entered before.
    struct Duplicate: Error, Equatable {
        let appointmentID: String
        let confirmation: String

        var message: String {
            "Duplicate: appointment \(appointmentID) was already entered as \(confirmation)"
        }
    }

    private struct State {
        var entries: [LedgerEntry] = []
        var byAppointment: [String: String] = [:]
    }

    private let state = Mutex(State())

    /// Enters `draft` with the next confirmation number, or reports the earlier entry.
    func enter(_ draft: EntryDraft, source: LedgerEntrySource, at date: Date = Date()) -> Result<LedgerEntry, Duplicate> {
        state.withLock { state in
            if let confirmation = state.byAppointment[draft.appointmentID] {
                return .failure(Duplicate(appointmentID: draft.appointmentID, confirmation: confirmation))
            }
            let number = String(state.entries.count + 1)
            let entry = LedgerEntry(
                confirmation: "L-" + String(repeating: "0", count: max(0, 6 - number.count)) + number,
                appointmentID: draft.appointmentID, patientID: draft.patientID, patient: draft.patient,
                date: draft.date, amountCents: draft.amountCents, notes: draft.notes, source: source,
                enteredAt: date
            )
            state.entries.append(entry)
            state.byAppointment[entry.appointmentID] = entry.confirmation
            return .success(entry)
        }
    }

    /// The confirmation of `appointmentID`, if it was entered.
    func confirmation(of appointmentID: String) -> String? {
        state.withLock { $0.byAppointment[appointmentID] }
    }

    /// All entries in the order they were entered, or only the one for `appointmentID`.
    func entries(appointmentID: String? = nil) -> [LedgerEntry] {
        state.withLock { state in
            guard let appointmentID else { return state.entries }
            return state.entries.filter { $0.appointmentID == appointmentID }
        }
    }

    /// Forgets every entry; numbering restarts at `L-000001`.
    func removeAll() {
        state.withLock { $0 = State() }
    }
}
