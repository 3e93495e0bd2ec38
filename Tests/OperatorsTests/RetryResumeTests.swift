import Engine
import Foundation
import Operators
import Store
import Testing

/// A run that has finished both its stages, with one item left in review. Its first stage needs a
/// browser, but is never run again: only the per-item stage (no browser steps) is.
@Suite("Retrying an item resumes its finished run and works that item only")
struct RetryResumeTests {
    static let flow = """
        flow: queue-check
        description: Checks that a resume works the items an operator put back in the queue.
        selectors:
          export: "a#export"
        stages:
          - name: process
            steps:
              - goto: "http://127.0.0.1:9/visits"
              - download: { click: export, save_as: visits.csv }
              - read: { file: visits.csv, as: csv, into: visits }
              - items: { from: visits, key: "${row.id}" }
          - name: work
            for_each_item: { workers: 1 }
            steps:
              - set: { note: "worked ${work.key} for ${item.name}" }
        """

    @Test("the item in review goes back to the queue, the resume works it, done items are not worked again")
    func retryWorksTheItem() async throws {
        let fixture = try OperatorsFixture()
        let folder = fixture.folder
        let flowPath = folder + "/queue-check.yaml"
        try Self.flow.write(toFile: flowPath, atomically: true, encoding: .utf8)
        let run = try fixture.store.createRun(
            RunRecord(id: "queue-check-1", flow: "queue-check", flowPath: flowPath, inputs: [:], trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
        _ = try fixture.store.addItems(
            [NewWorkItem(key: "V-1", payload: ["name": "Ann"]), NewWorkItem(key: "V-2", payload: ["name": "Bob"]),
             NewWorkItem(key: "V-3", payload: ["name": "Cy"])],
            runID: run.id, actor: "engine")
        let items = try fixture.store.items(runID: run.id, states: [])
        for item in items {
            _ = try fixture.store.claimItem(runID: run.id, worker: "worker:1", leaseExpiredBefore: Date.distantPast)
            _ = try fixture.store.finishItem(id: item.id, state: item.key == "V-2" ? .needsReview : .done,
                                             reason: item.key == "V-2" ? "Billing line 2 has no amount" : nil, actor: "worker:1")
        }
        for stage in ["process", "work"] {
            try fixture.store.checkpoint(Checkpoint(runID: run.id, stage: stage, state: .completed), actor: "engine")
        }
        _ = try fixture.store.updateRun(id: run.id, actor: "engine", reason: nil) { $0.state = .needsReview; $0.finishedAt = Date() }
        let review = try #require(try fixture.store.items(runID: run.id, states: [.needsReview]).first)
        let doneBefore = try fixture.store.items(runID: run.id, states: [.done])

        let outcome = try fixture.actions.perform(.override(review.id, fields: ["name": "Bob B."]), by: OperatorsFixture.alice,
                                                  reason: "billed by hand; no amount needed")
        let followUp = try #require(outcome.followUp)
        #expect(followUp == .resumeRun(run.id))
        var options = RunOptions()
        options.runsDirectory = folder + "/runs"
        options.screenshotsDirectory = folder + "/screenshots"
        let launched = try await EngineRunLauncher(store: fixture.store, options: options).launch(followUp, by: OperatorsFixture.alice)

        #expect(launched.run.state == .succeeded)
        let after = try #require(try fixture.store.item(id: review.id))
        #expect(after.state == .done)
        #expect(after.payload["name"] == "Bob B.")
        // The items done before were not claimed again.
        for done in doneBefore {
            #expect(try fixture.store.item(id: done.id)?.attempts == done.attempts)
        }
        let runRows = try fixture.store.auditLog(entityType: "run", entityID: run.id, limit: 100)
        #expect(runRows.contains { $0.actor == "operator:alice" && $0.reason == "resumed by operator:alice" })
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }
}
