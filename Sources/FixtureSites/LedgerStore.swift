import Foundation
import Synchronization

/// The ledger's records, in memory and, when given a file, kept there too. Checking for a duplicate and
/// entering happen under one lock, so two concurrent submissions of the same appointment cannot both succeed.
///
/// The file (``FixtureConfiguration/ledgerFile``) lets the demo's Ledger remember what earlier demos
/// entered, as a real system would: a second `ferry demo` in the same folder finds its entries there.
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

    /// What the file holds.
    private struct Saved: Codable {
        var entries: [LedgerEntry]
    }

    /// The JSON file the entries are kept in; nil keeps them in memory only.
    let file: String?
    private let state = Mutex(State())

    init(file: String? = nil) {
        self.file = file
    }

    /// Reads the entries the file holds, replacing those in memory; nothing happens without a file or
    /// when it does not exist yet.
    ///
    /// - Throws: ``FixtureError`` `.ledgerFileUnreadable` when the file exists but is not a ledger.
    func load() throws(FixtureError) {
        guard let file, FileManager.default.fileExists(atPath: file) else { return }
        let saved: Saved
        do {
            saved = try Self.decoder.decode(Saved.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw FixtureError(
                .ledgerFileUnreadable,
                "the Ledger's file \(file) cannot be read (\(error)); move it away to start with an empty Ledger")
        }
        state.withLock { state in
            state = State()
            for entry in saved.entries {
                state.entries.append(entry)
                state.byAppointment[entry.appointmentID] = entry.confirmation
            }
        }
    }

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
            save(state.entries)
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

    /// Forgets every entry (in the file too); numbering restarts at `L-000001`.
    func removeAll() {
        state.withLock { state in
            state = State()
            save([])
        }
    }

    /// Writes the entries to the file, whole and atomically (called under the lock, so writes never
    /// interleave). A fixture has nobody to answer to: a file that cannot be written is said on stderr.
    private func save(_ entries: [LedgerEntry]) {
        guard let file else { return }
        do {
            let data = try Self.encoder.encode(Saved(entries: entries))
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("the Ledger could not save its entries to \(file): \(error)\n".utf8))
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
