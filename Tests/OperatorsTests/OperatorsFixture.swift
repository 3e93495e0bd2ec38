import Foundation
import Operators
import Store

/// A fresh store in a temporary folder, with one finished run holding items in every state, and the
/// people who act on it.
struct OperatorsFixture {
    let folder: String
    let store: SQLiteRunStore
    let run: RunRecord
    let actions: OperatorActions

    static let alice = Operator(name: "alice", role: .operator, channel: .cli)
    static let victor = Operator(name: "victor", role: .viewer, channel: .dashboard)
    /// Fast hashes for tests (the real default is 600,000 rounds).
    static let hasher = PasswordHasher(rounds: 1_000)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-operators-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteRunStore(path: folder + "/ferry.db")
        run = try store.createRun(
            RunRecord(id: "run-1", flow: "clinic-daily-sync", flowPath: folder + "/missing.yaml", inputs: ["date": "2026-11-22"],
                      state: .needsReview, trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
        _ = try store.addItems(
            [
                NewWorkItem(key: "A-1", payload: ["amount": "10.00", "patient": "Ann"]),
                NewWorkItem(key: "A-2", payload: ["amount": "", "patient": "Bob"], reviewReason: "Billing line 7 has no amount"),
                NewWorkItem(key: "A-3", payload: ["amount": "30.00", "patient": "Cy"]),
                NewWorkItem(key: "A-4", payload: ["amount": "40.00", "patient": "Di"]),
            ],
            runID: run.id, actor: "engine")
        _ = try store.finishItem(id: 1, state: .done, reason: nil, actor: "worker:1")
        _ = try store.finishItem(id: 3, state: .error, reason: "the ledger answered HTTP 500", actor: "worker:1")
        actions = OperatorActions(store: store)
    }

    func item(_ id: Int64) throws -> WorkItem {
        guard let item = try store.item(id: id) else { throw FixtureFailure("no item \(id)") }
        return item
    }

    /// The audit rows about one item, oldest first.
    func audit(item id: Int64) throws -> [AuditEntry] {
        try store.auditLog(entityType: "item", entityID: String(id), limit: 1000)
    }

    func auditCount() throws -> Int {
        try store.auditLog(entityType: nil, entityID: nil, limit: 1_000_000).count
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
