import Engine
import FixtureSites
import Foundation
import Store
import Testing

/// `alert()`, `confirm()` and `prompt()` (issue 16): a dialog is settled by the step that opened it,
/// as its `dialog:` (or its stage's) says; one nobody foresaw fails that step, quoting the page, and
/// is never accepted on a guess.
@Suite("Dialogs: a confirm on save, a prompt for a reason, dialogs nobody expected", .serialized)
struct DialogsTests {
    static func options(_ harness: EngineHarness, _ extra: [String: String] = [:]) -> RunOptions {
        var options = harness.options()
        options.inputs = ["ledger": harness.sites.ledger.absoluteString].merging(extra) { _, new in new }
        return options
    }

    static func aldric(_ harness: EngineHarness) -> LedgerRecord? {
        harness.fixtures.ledgerRecords.first { $0.id == 3 }
    }

    static func effectStates(_ harness: EngineHarness, _ runID: String) throws -> [SideEffect.State] {
        try harness.store.sideEffects(runID: runID, itemKey: nil).map(\.state)
    }

    @Test("the stage accepts the confirm that says what it expects; the save is made and confirmed")
    func confirmAccepted() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-save.yaml"), Self.options(harness))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(Self.aldric(harness)?.note == "Saved past the confirm")
        #expect(try Self.effectStates(harness, outcome.run.id) == [.done])
        let audit = try harness.store.auditLog(runID: outcome.run.id).compactMap(\.reason)
        #expect(audit.contains("the page's dialog “Really save record “Aldric Supplies”?” was accepted (OK)"), "\(audit)")
    }

    @Test("a confirm nobody foresaw fails the click that raised it, quoting it, in the error, the audit log and the report; nothing is saved")
    func unexpectedConfirmFailsItsOwnStep() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-save-unexpected.yaml"), Self.options(harness))

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        // The click (step 3) raised it: not the expect after it, not a retried goto.
        #expect(failure.contains("step 3 (click record.save)"), "\(failure)")
        #expect(failure.contains("the page says: “Really save record “Aldric Supplies”?”"), "\(failure)")
        #expect(failure.contains("dialog: { do: accept"), "the error says how to accept it: \(failure)")
        #expect(Self.aldric(harness)?.note == "")
        // Ferry pressed Cancel after the click: the change is not confirmed, and a person is told why.
        let effect = try #require(try harness.store.sideEffects(runID: outcome.run.id, itemKey: nil).first)
        #expect(effect.state == .unconfirmed)
        #expect(effect.detail?.contains("Really save record") == true)
        let audit = try harness.store.auditLog(runID: outcome.run.id).compactMap(\.reason)
        #expect(audit.contains { $0.contains("step failed on a dialog: “Really save record “Aldric Supplies”?”") }, "\(audit)")
        let report = try String(contentsOfFile: harness.folder + "/runs/\(outcome.run.id)/report.html", encoding: .utf8)
        #expect(report.contains("Really save record"))
    }

    @Test("a dialog that says something else than the flow expects fails the step, quoting both, and is dismissed")
    func dialogWithOtherTextFails() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-save.yaml"), Self.options(harness, ["expected": "Delete record"]))

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("step 3 (click record.save)"), "\(failure)")
        #expect(failure.contains("expects one saying “Delete record”"), "\(failure)")
        #expect(failure.contains("the page says: “Really save record “Aldric Supplies”?”"), "\(failure)")
        #expect(Self.aldric(harness)?.note == "")
    }

    @Test("a save whose confirm the flow cancels is not confirmed, and nothing is saved")
    func cancelledSaveIsNotConfirmed() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-save-cancelled.yaml"), Self.options(harness))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(Self.aldric(harness)?.note == "")
        let effect = try #require(try harness.store.sideEffects(runID: outcome.run.id, itemKey: nil).first)
        #expect(effect.state == .unconfirmed)
        #expect(effect.detail?.contains("was dismissed (Cancel)") == true, "\(effect.detail ?? "")")
    }

    @Test("a prompt is answered with the flow's text, after its question is checked")
    func promptAnswered() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-void.yaml"), Self.options(harness, ["reason": "Merged into R-100"]))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        #expect(harness.fixtures.ledgerRecords.first { $0.id == 5 }?.note == "VOID: Merged into R-100")
        #expect(try Self.effectStates(harness, outcome.run.id) == [.done])
    }

    @Test("a step that declares a dialog fails when the page opens none")
    func declaredDialogThatNeverOpens() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let flow = EngineHarness.testFlow("classic-no-dialog.yaml")

        let outcome = try await harness.run(flow, Self.options(harness))

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("step 2 (click record.back)"), "\(failure)")
        #expect(failure.contains("expects the page to open a dialog saying “Leave this page”, but none opened"), "\(failure)")
    }

    @Test("an alert a page raises as it loads is settled by the goto that opened it")
    func alertOnLoadAccepted() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-notice.yaml"), Self.options(harness))

        #expect(outcome.run.state == .succeeded, "\(outcome.run.failure ?? "")")
        let audit = try harness.store.auditLog(runID: outcome.run.id).compactMap(\.reason)
        #expect(audit.contains { $0.contains("“The ledger closes at 18:00 today for the year-end run.” was accepted") }, "\(audit)")
    }

    @Test("an alert nobody foresaw as a page loads fails the goto, not the step after it")
    func alertOnLoadUnexpected() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run(EngineHarness.testFlow("classic-notice-unexpected.yaml"), Self.options(harness))

        #expect(outcome.run.state == .failed)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("step 1 (goto"), "\(failure)")
        #expect(failure.contains("the page says: “The ledger closes at 18:00 today for the year-end run.”"), "\(failure)")
    }
}
