import Foundation
import Store
import Testing

@Suite("Runs, checkpoints, captured values, artifacts and side effects")
struct RunRecordTests {
    @Test("a run round-trips with its inputs, and updates are audited with from and to states", arguments: StoreBackend.tested)
    func runs(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        let updated = try fixture.store.updateRun(id: "run-1", actor: "engine", reason: "stage upload failed") {
            $0.state = .failed
            $0.failure = "upload: the Ledger answered 500"
        }
        let read = try #require(try fixture.store.run(id: "run-1"))

        #expect(read == updated)
        #expect(read.inputs == ["date": "2026-11-22"])
        #expect(try fixture.store.runs(flow: "clinic-daily-sync", limit: 10).map(\.id) == ["run-1"])
        #expect(throws: StoreError.self) { try fixture.store.updateRun(id: "nope", actor: "engine", reason: nil) { _ in } }
    }

    @Test("a run keeps its origin: the flow's digest and outline and its folders, as started and as a resume updates them", arguments: StoreBackend.tested)
    func origin(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        let outline = FlowOutline(stages: [
            FlowOutline.Stage(name: "login", digest: "aa", steps: [FlowOutline.Step(summary: "goto ${inputs.clinic}/login", digest: "bb")])
        ])
        let started = try fixture.store.createRun(
            RunRecord(id: "run-2", flow: "clinic-daily-sync", flowPath: "/srv/ferry/flows/clinic-daily-sync.yaml", inputs: [:],
                      trigger: .cli, triggeredBy: "cli:tester", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                      flowSHA256: "0f", flowOutline: outline,
                      runsDirectory: "/srv/ferry/runs", screenshotsDirectory: "/srv/ferry/screenshots"),
            actor: "cli:tester")
        #expect(try fixture.store.run(id: "run-2") == started)

        let resumed = try fixture.store.updateRun(id: "run-2", actor: "cli:tester", reason: "resumed") {
            $0.flowSHA256 = "1e"
            $0.flowOutline = FlowOutline(stages: [])
            $0.runsDirectory = "/mnt/moved/runs"
        }
        let read = try #require(try fixture.store.run(id: "run-2"))
        #expect(read == resumed)
        #expect(read.flowSHA256 == "1e" && read.flowOutline == FlowOutline(stages: []) && read.runsDirectory == "/mnt/moved/runs")
        #expect(read.screenshotsDirectory == "/srv/ferry/screenshots")
    }

    @Test("checkpoints keep the latest state of each stage and step, per item", arguments: StoreBackend.tested)
    func checkpoints(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.store.checkpoint(Checkpoint(runID: "run-1", stage: "login", step: 0, state: .started), actor: "engine")
        try fixture.store.checkpoint(Checkpoint(runID: "run-1", stage: "login", step: 0, state: .completed), actor: "engine")
        try fixture.store.checkpoint(Checkpoint(runID: "run-1", stage: "upload", step: 0, itemKey: "A-1", state: .completed), actor: "worker:1")

        let checkpoints = try fixture.store.checkpoints(runID: "run-1")

        #expect(checkpoints.count == 2)
        #expect(checkpoints.contains { $0.stage == "login" && $0.step == 0 && $0.state == .completed && $0.itemKey == nil })
        #expect(checkpoints.contains { $0.stage == "upload" && $0.itemKey == "A-1" })
        #expect(try fixture.store.auditLog(entityType: "step", entityID: "run-1/login/1", limit: 10).map(\.toState) == ["started", "completed"])
    }

    @Test("checkpoints written together are committed in order, all or none", arguments: StoreBackend.tested)
    func checkpointBatch(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.store.checkpoint(
            [Checkpoint(runID: "run-1", stage: "login", step: 0, state: .completed), Checkpoint(runID: "run-1", stage: "login", step: 1, state: .started)],
            actor: "engine")
        #expect(try fixture.store.auditLog(runID: "run-1").filter { $0.entityType == "step" }.map { "\($0.entityID) \($0.toState ?? "")" }
            == ["run-1/login/1 completed", "run-1/login/2 started"])

        // The second names a run that does not exist: the first must not be left behind on its own.
        #expect(throws: StoreError.self) {
            try fixture.store.checkpoint(
                [Checkpoint(runID: "run-1", stage: "login", step: 1, state: .completed), Checkpoint(runID: "no-such-run", stage: "login", step: 2, state: .started)],
                actor: "engine")
        }
        #expect(try fixture.store.checkpoints(runID: "run-1").first { $0.step == 1 }?.state == .started)
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }

    @Test("captured values and artifacts survive reopening the file", arguments: StoreBackend.tested)
    func durable(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        try fixture.store.setVariables(["entry_id": "L-000042"], runID: "run-1", actor: "engine")
        try fixture.store.recordArtifact(
            Artifact(runID: "run-1", kind: .download, path: "/tmp/a.csv", size: 10, sha256: "ab", name: "appointments.csv"), actor: "engine")

        let reopened = try fixture.reopen()

        #expect(try reopened.variables(runID: "run-1") == ["entry_id": "L-000042"])
        #expect(try reopened.artifacts(runID: "run-1").map(\.name) == ["appointments.csv"])
    }

    @Test("an effect is done only once confirmed; until then a new intent takes it over, and a confirmed key is never acted on again", arguments: StoreBackend.tested)
    func sideEffects(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        let key = "ledger-entry-A-1"
        #expect(try fixture.store.recordIntent(key: key, runID: "run-1", stage: "upload", step: 2, itemKey: "A-1", actor: "worker:1") == nil)
        try fixture.store.markSideEffect(key: key, state: .acted, result: nil, detail: nil, actor: "worker:1")
        try fixture.store.markSideEffect(key: key, state: .unconfirmed, result: nil, detail: "the page answered HTTP 500", actor: "worker:1")
        let unconfirmed = try #require(try fixture.store.sideEffect(key: key))
        #expect(unconfirmed.state == .unconfirmed)
        #expect(unconfirmed.detail == "the page answered HTTP 500")

        // Unconfirmed is not done: acting again is allowed (the flow's guard found nothing).
        #expect(try fixture.store.recordIntent(key: key, runID: "run-1", stage: "upload", step: 2, itemKey: "A-1", actor: "worker:1") == nil)
        try fixture.store.markSideEffect(key: key, state: .acted, result: nil, detail: nil, actor: "worker:1")
        try fixture.store.markSideEffect(key: key, state: .done, result: "L-000007", detail: nil, actor: "worker:1")

        let done = try #require(try fixture.store.recordIntent(key: key, runID: "run-2", stage: "upload", step: 2, itemKey: "A-1", actor: "worker:1"))
        #expect(done.state == .done)
        #expect(done.result == "L-000007")
        #expect(done.runID == "run-1")
        let states = try fixture.store.auditLog(entityType: "side_effect", entityID: key, limit: 100).map { $0.toState ?? "" }
        #expect(states == ["intended", "acted", "unconfirmed", "intended", "acted", "done"])
    }

    @Test("a redo clears an item's effects, each with an audit row that keeps the state it had", arguments: StoreBackend.tested)
    func redoClearsEffects(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        _ = try fixture.store.recordIntent(key: "entry-A-1", runID: "run-1", stage: "upload", step: 2, itemKey: "A-1", actor: "worker:1")
        try fixture.store.markSideEffect(key: "entry-A-1", state: .done, result: "L-1", detail: nil, actor: "worker:1")
        _ = try fixture.store.recordIntent(key: "entry-A-2", runID: "run-1", stage: "upload", step: 2, itemKey: "A-2", actor: "worker:1")

        #expect(try fixture.store.clearSideEffects(itemKey: "A-1", actor: "operator:alice", reason: "not in the ledger") == ["entry-A-1"])
        #expect(try fixture.store.sideEffect(key: "entry-A-1") == nil)
        #expect(try fixture.store.sideEffect(key: "entry-A-2") != nil)
        let cleared = try #require(try fixture.store.auditLog(entityType: "side_effect", entityID: "entry-A-1", limit: 100).last)
        #expect(cleared.fromState == "done")
        #expect(cleared.toState == "cleared")
        #expect(cleared.actor == "operator:alice")
        #expect(try fixture.store.verifyAuditLog().isIntact)
    }
}
