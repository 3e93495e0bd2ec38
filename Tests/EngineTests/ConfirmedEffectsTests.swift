import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// Effects on real systems: a change counts only when the steps that verify it pass; anything short of
/// that is decided by the flow's guard, or by a person, never repeated blindly (issue 14).
@Suite("Confirmed effects: saves that answer 500, wizards, records with their own id", .serialized)
struct ConfirmedEffectsTests {
    static let guarded = EngineHarness.testFlow("ledger-entries.yaml")
    static let unguarded = EngineHarness.testFlow("ledger-entries-unguarded.yaml")

    /// Four valid ledger rows in a CSV file of the harness's folder, with the import's header.
    static func entriesFile(in harness: EngineHarness) throws -> (path: String, keys: [String]) {
        let keys = (1...4).map { "A-20261122-90\(String(format: "%02d", $0))" }
        let csv = "appointment_id,patient_id,patient,date,amount\n"
            + keys.enumerated().map { "\($1),P-10001,Patient \($0 + 1),2026-11-22,\($0 + 1)0.50" }.joined(separator: "\n") + "\n"
        let path = harness.folder + "/entries.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, keys)
    }

    static func options(_ harness: EngineHarness, file: String) -> RunOptions {
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString, "file": file]
        return options
    }

    static func effects(_ harness: EngineHarness, _ runID: String) throws -> [String: SideEffect.State] {
        Dictionary(uniqueKeysWithValues: try harness.store.sideEffects(runID: runID, itemKey: nil).map { ($0.key, $0.state) })
    }

    // MARK: Problem 1

    @Test("problem 1: item.id is the record's own id, so each note lands on its own record; Ferry's number is work.id")
    func recordsKeepTheirFields() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString]

        let outcome = try await harness.run(EngineHarness.testFlow("records-notes.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let records = harness.fixtures.ledgerRecords
        #expect(records.count == 6)
        for record in records {
            // The records' ids are not in list order: a flow that opened `/records/<work item number>/change/`
            // would have written another record's note here.
            #expect(record.note.hasPrefix("\(record.reviewNote) (record \(record.key), work item "), "record \(record.id): \(record.note)")
        }
        let items = try harness.store.items(runID: outcome.run.id, states: [])
        #expect(Set(items.map(\.key)) == Set(records.map(\.key)))
    }

    // MARK: Problem 2

    @Test("problem 2: a save that answers 500 without committing is unconfirmed, and made again once the guard finds nothing")
    func failedSaveIsMadeAgain() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        harness.fixtures.setFaults(FixtureFaults(fail500: 1), site: .ledger)

        let outcome = try await harness.run(Self.guarded, Self.options(harness, file: file))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID).sorted() == keys)
        #expect(try Self.effects(harness, outcome.run.id).values.allSatisfy { $0 == .done })
        let history = try harness.store.auditLog(entityType: "side_effect", entityID: "entry-\(keys[0])", limit: 50).compactMap(\.toState)
        #expect(history == ["intended", "acted", "unconfirmed", "intended", "acted", "done"])
    }

    @Test("problem 2: a save that commits and then answers 500 is found by the guard and confirmed, never entered twice")
    func committedSaveIsNotRepeated() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        harness.fixtures.setFaults(FixtureFaults(commitThen500: 2), site: .ledger)

        let outcome = try await harness.run(Self.guarded, Self.options(harness, file: file))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID).sorted() == keys)
        #expect(try Self.effects(harness, outcome.run.id).values.allSatisfy { $0 == .done })
        let notes = try harness.store.auditLog(entityType: "step", entityID: nil, limit: 500).compactMap(\.reason)
        #expect(notes.contains { $0.contains("the flow's guard found the change in the target, so it is confirmed") })
    }

    @Test("without a guard, a save that answered 500 goes to a person with the reason, and is not made again")
    func unguardedUncertainSaveGoesToReview() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        harness.fixtures.setFaults(FixtureFaults(commitThen500: 1), site: .ledger)

        let outcome = try await harness.run(Self.unguarded, Self.options(harness, file: file))

        #expect(outcome.run.state == .needsReview)
        let review = try harness.store.items(runID: outcome.run.id, states: [.needsReview])
        #expect(review.map(\.key) == [keys[0]])
        let reason = try #require(review.first?.lastError)
        #expect(reason.contains("answered HTTP 500"), "\(reason)")
        #expect(reason.contains("is not confirmed, and the stage has no guard"), "\(reason)")
        // Entered once by the save that answered 500, never twice.
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID).sorted() == keys)
        #expect(try Self.effects(harness, outcome.run.id)["entry-\(keys[0])"] == .unconfirmed)
    }

    @Test("the engine's own records, with no guard in the flow: a confirmed save is not made again when its item is retried")
    func confirmedSaveIsNeverRepeated() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        let first = try await harness.run(Self.unguarded, Self.options(harness, file: file))
        #expect(first.run.state == .succeeded, "\(first.run.failure ?? "")")
        let item = try #require(try harness.store.items(runID: first.run.id, states: []).first { $0.key == keys[1] })

        _ = try harness.store.requeueItem(id: item.id, fields: [:], actor: "operator:test", reason: "retry")
        let again = try await FlowRunner(store: harness.store, options: Self.options(harness, file: file)).resume(runID: first.run.id)

        #expect(again.run.state == .succeeded, "\(again.run.failure ?? "")")
        #expect(try harness.store.item(id: item.id)?.state == .done)
        #expect(harness.fixtures.ledgerEntries.filter { $0.appointmentID == keys[1] }.count == 1)
        let notes = try harness.store.auditLog(entityType: "step", entityID: nil, limit: 500).compactMap(\.reason)
        #expect(notes.contains { $0.hasPrefix("not repeated: key entry-\(keys[1]) was confirmed done by run \(first.run.id)") })
    }

    @Test("a done key the target contradicts: the item goes to review at once, saying which run did it; a redo makes it again")
    func contradictedKeyGoesToReview() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        let first = try await harness.run(Self.guarded, Self.options(harness, file: file))
        #expect(first.run.state == .succeeded, "\(first.run.failure ?? "")")

        // The target is restored from a backup: the entries are gone, the store still has the keys.
        harness.fixtures.reset(.ledger)
        let second = try await harness.run(Self.guarded, Self.options(harness, file: file))

        #expect(second.run.state == .needsReview)
        let review = try harness.store.items(runID: second.run.id, states: [.needsReview])
        #expect(review.count == keys.count)
        let reason = try #require(review.first?.lastError)
        #expect(reason.contains("the store says key entry-\(review[0].key) was done by run \(first.run.id)"), "\(reason)")
        #expect(reason.contains("the target does not show it"))
        // At once: no item was retried.
        let retries = try harness.store.auditLog(entityType: "stage", entityID: nil, limit: 500).compactMap(\.reason)
        #expect(!retries.contains { $0.contains("item attempt") })
        #expect(harness.fixtures.ledgerEntries.isEmpty)

        // A person checked the ledger: the entry is missing. The redo forgets the key and enters it again.
        _ = try harness.store.clearSideEffects(itemKey: review[0].key, actor: "operator:test", reason: "not in the ledger")
        _ = try harness.store.requeueItem(id: review[0].id, fields: [:], actor: "operator:test", reason: "redo")
        _ = try await FlowRunner(store: harness.store, options: Self.options(harness, file: file)).resume(runID: second.run.id)
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID) == [review[0].key])
    }

    // MARK: Problem 3

    @Test("problem 3: an import whose confirm answered 500 is replayed from the upload, and imported once", arguments: [
        FixtureFaults(fail500: 1), FixtureFaults(commitThen500: 1),
    ])
    func wizardIsReplayed(faults: FixtureFaults) async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, keys) = try Self.entriesFile(in: harness)
        harness.fixtures.setFaults(faults, site: .ledger)
        var options = Self.options(harness, file: file)
        options.inputs["last"] = keys.last

        let outcome = try await harness.run(EngineHarness.testFlow("import-wizard.yaml"), options)

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID).sorted() == keys)
        #expect(try Self.effects(harness, outcome.run.id)["import-\(keys[3])"] == .done)
    }

    // MARK: Problem 5

    @Test("problem 5: a business failure's reason and the target's own message lead the run's failure, its audit row and its report")
    func reasonsReachPeople() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let (file, _) = try Self.entriesFile(in: harness)
        var options = Self.options(harness, file: file)
        options.environment["LEDGER_PASSWORD"] = "wrong-password"

        let outcome = try await harness.run(Self.guarded, options)

        #expect(outcome.run.state == .failed)
        let failure = try #require(outcome.run.failure)
        let headline = "The ledger refused the operations account; check LEDGER_USER and LEDGER_PASSWORD — the page says: “Invalid user name or password.”"
        #expect(failure.hasPrefix(headline), "\(failure)")
        #expect(!failure.contains("wrong-password"))
        let runRows = try harness.store.auditLog(entityType: "run", entityID: outcome.run.id, limit: 50).compactMap(\.reason)
        #expect(runRows.contains { $0.hasPrefix(headline) })
        let report = try String(contentsOfFile: harness.folder + "/runs/\(outcome.run.id)/report.html", encoding: .utf8)
        #expect(report.contains("The ledger refused the operations account"))
        #expect(report.contains("Invalid user name or password."))
    }
}
