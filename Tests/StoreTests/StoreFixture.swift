import Foundation
import Store

/// A fresh store in a temporary folder, with one running run.
struct StoreFixture {
    let path: String
    let store: SQLiteRunStore
    let run: RunRecord

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-store-\(UUID().uuidString)/ferry.db").path
        store = try SQLiteRunStore(path: path)
        run = try store.createRun(
            RunRecord(id: "run-1", flow: "clinic-daily-sync", flowPath: "flows/clinic-daily-sync.yaml", inputs: ["date": "2026-11-22"],
                      trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
    }

    func addItems(_ count: Int) throws {
        _ = try store.addItems((1...count).map { NewWorkItem(key: "A-\($0)", payload: ["n": String($0)]) }, runID: run.id, actor: "engine")
    }
}
