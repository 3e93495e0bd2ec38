import Foundation
import Operators
import Store
import Testing

@Suite("Operator actions: one code path, refused without role, reason or the right state, audited when done")
struct OperatorActionsTests {
    @Test("retry puts an item in review back in the queue, audited with the operator's name, and asks for its run")
    func retryItem() throws {
        let fixture = try OperatorsFixture()
        let outcome = try fixture.actions.perform(.retryItem(2), by: OperatorsFixture.alice, reason: "amount now filled in")
        let item = try fixture.item(2)
        #expect(item.state == .new)
        #expect(item.lastError == nil)
        #expect(outcome.followUp == .resumeRun("run-1"))
        let last = try #require(try fixture.audit(item: 2).last)
        #expect(last.actor == "operator:alice")
        #expect(last.fromState == "needs_review")
        #expect(last.toState == "new")
        #expect(last.reason == "retry: amount now filled in")
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }

    @Test("an item already done cannot be retried, and nothing is written")
    func retryDoneRefused() throws {
        let fixture = try OperatorsFixture()
        let before = try fixture.auditCount()
        #expect(throws: OperatorError.self) { try fixture.actions.perform(.retryItem(1), by: OperatorsFixture.alice, reason: nil) }
        do {
            try fixture.actions.perform(.retryItem(1), by: OperatorsFixture.alice, reason: nil)
        } catch {
            #expect(error.code == .wrongState)
            #expect(error.message.contains("is done"))
        }
        #expect(try fixture.auditCount() == before)
        #expect(try fixture.item(1).state == .done)
    }

    @Test("a viewer is refused every action, and nothing is written")
    func viewerRefused() throws {
        let fixture = try OperatorsFixture()
        let before = try fixture.auditCount()
        let all: [OperatorAction] = [
            .retryItem(2), .override(2, fields: ["amount": "1"]), .markDone(2), .escalate(4), .retryRun("run-1"),
            .pauseSchedule(flow: "clinic-daily-sync"), .resumeSchedule(flow: "clinic-daily-sync"), .trigger(flowPath: "x.yaml", inputs: [:]),
        ]
        for action in all {
            do {
                try fixture.actions.perform(action, by: OperatorsFixture.victor, reason: "because")
                Issue.record("\(action) was allowed for a viewer")
            } catch {
                #expect(error.code == .forbidden)
            }
        }
        #expect(try fixture.auditCount() == before)
        #expect(try fixture.item(2).state == .needsReview)
    }

    @Test("override, mark done and escalate need a reason; blank ones are refused", arguments: [nil, "", "   \n"])
    func reasonRequired(reason: String?) throws {
        let fixture = try OperatorsFixture()
        for action: OperatorAction in [.override(2, fields: ["amount": "20.00"]), .markDone(2), .escalate(4)] {
            do {
                try fixture.actions.perform(action, by: OperatorsFixture.alice, reason: reason)
                Issue.record("\(action) was done without a reason")
            } catch {
                #expect(error.code == .invalidInput)
                #expect(error.message.contains("needs a reason"))
            }
        }
        #expect(try fixture.item(2).payload["amount"] == "")
        #expect(try fixture.item(4).state == .new)
    }

    @Test("override edits the fields, requeues the item, and the audit row names the change and the reason")
    func override() throws {
        let fixture = try OperatorsFixture()
        try fixture.actions.perform(.override(2, fields: ["amount": "20.00", "patient": "Bob"]), by: OperatorsFixture.alice,
                                    reason: "amount confirmed by phone")
        let item = try fixture.item(2)
        #expect(item.payload == ["amount": "20.00", "patient": "Bob"])
        #expect(item.state == .new)
        let last = try #require(try fixture.audit(item: 2).last)
        #expect(last.actor == "operator:alice")
        #expect(last.reason == "override: amount confirmed by phone")
        #expect(last.payload?.contains("\"field.amount\":\" -> 20.00\"") == true)
        #expect(last.payload?.contains("field.patient") == false)
    }

    @Test("override refuses a field the item does not have")
    func overrideUnknownField() throws {
        let fixture = try OperatorsFixture()
        #expect(throws: OperatorError.self) {
            try fixture.actions.perform(.override(2, fields: ["amonut": "20.00"]), by: OperatorsFixture.alice, reason: "typo")
        }
        #expect(try fixture.item(2).payload["amount"] == "")
    }

    @Test("mark done and escalate move the item and keep the reason")
    func markDoneAndEscalate() throws {
        let fixture = try OperatorsFixture()
        try fixture.actions.perform(.markDone(3), by: OperatorsFixture.alice, reason: "entered by hand in the ledger")
        #expect(try fixture.item(3).state == .done)
        #expect(try fixture.audit(item: 3).last?.reason == "marked done: entered by hand in the ledger")
        try fixture.actions.perform(.escalate(4), by: OperatorsFixture.alice, reason: "patient name looks wrong")
        let escalated = try fixture.item(4)
        #expect(escalated.state == .needsReview)
        #expect(escalated.lastError == "escalated: patient name looks wrong")
        #expect(try fixture.audit(item: 4).last?.actor == "operator:alice")
    }

    @Test("retrying a run requeues its items in error (not those in review) and resumes it")
    func retryRun() throws {
        let fixture = try OperatorsFixture()
        let outcome = try fixture.actions.perform(.retryRun("run-1"), by: OperatorsFixture.alice, reason: "ledger is back")
        #expect(outcome.followUp == .resumeRun("run-1"))
        #expect(try fixture.item(3).state == .new)
        #expect(try fixture.item(2).state == .needsReview)
        let runRows = try fixture.store.auditLog(entityType: "run", entityID: "run-1", limit: 10)
        #expect(runRows.last?.actor == "operator:alice")
        #expect(runRows.last?.reason == "retry requested: ledger is back")
    }

    @Test("a running run cannot be retried")
    func retryRunningRun() throws {
        let fixture = try OperatorsFixture()
        _ = try fixture.store.updateRun(id: "run-1", actor: "engine", reason: nil) { $0.state = .running }
        do {
            try fixture.actions.perform(.retryRun("run-1"), by: OperatorsFixture.alice, reason: nil)
            Issue.record("a running run was retried")
        } catch {
            #expect(error.code == .wrongState)
        }
    }

    @Test("pausing and resuming a schedule is stored and audited")
    func schedules() throws {
        let fixture = try OperatorsFixture()
        try fixture.actions.perform(.pauseSchedule(flow: "clinic-daily-sync"), by: OperatorsFixture.alice, reason: "ledger maintenance")
        #expect(try fixture.store.schedules().first?.paused == true)
        try fixture.actions.perform(.resumeSchedule(flow: "clinic-daily-sync"), by: OperatorsFixture.alice, reason: nil)
        #expect(try fixture.store.schedules().first?.paused == false)
        let rows = try fixture.store.auditLog(entityType: "flow", entityID: "clinic-daily-sync", limit: 10)
        #expect(rows.map(\.toState) == ["paused", "active"])
        #expect(rows.first?.reason == "ledger maintenance")
    }

    @Test("trigger refuses a flow file that does not exist, and asks for a run of one that does")
    func trigger() throws {
        let fixture = try OperatorsFixture()
        #expect(throws: OperatorError.self) {
            try fixture.actions.perform(.trigger(flowPath: fixture.folder + "/nope.yaml", inputs: [:]), by: OperatorsFixture.alice, reason: nil)
        }
        let path = fixture.folder + "/a-flow.yaml"
        try "flow: a-flow\n".write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try fixture.actions.perform(.trigger(flowPath: path, inputs: ["date": "2026-11-20"]), by: OperatorsFixture.alice, reason: "asked by finance")
        #expect(outcome.followUp == .startFlow(path: path, inputs: ["date": "2026-11-20"]))
        #expect(try fixture.store.auditLog(entityType: "flow", entityID: "a-flow", limit: 5).last?.reason == "run triggered now: asked by finance")
    }

    @Test("exception groups gather reasons that differ only in numbers and keys, the largest group first")
    func grouping() throws {
        func listing(_ id: Int64, _ key: String, _ reason: String) -> ItemListing {
            ItemListing(item: WorkItem(id: id, runID: "r", key: key, payload: [:], state: .needsReview, attempts: 1, lastError: reason,
                                       claimedBy: nil, claimedAt: nil, updatedAt: Date()), flow: "f")
        }
        let groups = ExceptionQueue.group([
            listing(1, "A-1", "ledger timed out"),
            listing(2, "A-2", "Billing line 17 has no amount for A-2"),
            listing(3, "A-3", "Billing line 4 has no amount for A-3 — evidence: screenshots/r/x-A-3.png, url http://x/entries"),
        ])
        #expect(groups.map(\.items.count) == [2, 1])
        #expect(groups.first?.pattern == "Billing line # has no amount for …")
    }

    @Test("an engine failure is summarised as its message, without the stage, the file position and the evidence")
    func summary() {
        let reason = "stage 'enter_in_ledger', step 1 (require item.amount != '') at flows/clinic-daily-sync.yaml:95:9, item A-20261128-0032: "
            + "Billing line INV-20261128-0022 has no amount; complete it in the clinic portal, then retry the item — evidence: screenshots/r/x.png, url http://x/entries"
        #expect(ExceptionQueue.summary(of: reason, key: "A-20261128-0032")
            == "Billing line INV-20261128-0022 has no amount; complete it in the clinic portal, then retry the item")
        #expect(ExceptionQueue.pattern(of: reason, key: "A-20261128-0032")
            == "Billing line INV-#-# has no amount; complete it in the clinic portal, then retry the item")
        #expect(ExceptionQueue.summary(of: "the ledger answered HTTP 500", key: "A-1") == "the ledger answered HTTP 500")
    }
}
