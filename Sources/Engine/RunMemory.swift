import Flows
import Foundation
import Store
import WebDriver

/// What a run has learned so far: captured values and named record sets. Captured values are saved
/// in the store; record sets as JSON files in the run folder (recorded as artifacts), so a resumed run
/// has both.
actor RunMemory {
    private(set) var variables: [String: String]
    private(set) var records: [String: [[String: String]]]
    private let store: any RunStore
    private let runID: String
    private let folder: String

    init(store: any RunStore, runID: String, folder: String) throws(StoreError) {
        self.store = store
        self.runID = runID
        self.folder = folder
        variables = try store.variables(runID: runID)
        var loaded: [String: [[String: String]]] = [:]
        for artifact in try store.artifacts(runID: runID) where artifact.kind == .report && artifact.name?.hasPrefix("records:") == true {
            guard let name = artifact.name?.dropFirst("records:".count),
                let data = FileManager.default.contents(atPath: artifact.path),
                let rows = Self.rows(fromJSON: data)
            else { continue }
            loaded[String(name)] = rows
        }
        records = loaded
    }

    func set(_ values: [String: String], actor: String) throws(StoreError) {
        guard !values.isEmpty else { return }
        try store.setVariables(values, runID: runID, actor: actor)
        variables.merge(values) { _, new in new }
    }

    func setRecords(_ rows: [[String: String]], named name: String, stage: String, step: Int, actor: String) throws {
        let directory = folder + "/records"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(name).json"
        let data = JSONValue.array(rows.map { row in .object(row.mapValues(JSONValue.string)) }).encoded()
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        try store.recordArtifact(
            Artifact(runID: runID, kind: .report, path: path, size: data.count, sha256: FileDigest.sha256(data), stage: stage,
                     step: step, name: "records:\(name)"),
            actor: actor)
        records[name] = rows
    }

    /// Records saved by ``setRecords(_:named:stage:step:actor:)``: an array of objects of strings.
    static func rows(fromJSON data: Data) -> [[String: String]]? {
        guard let rows = JSONValue.decode(data)?.array else { return nil }
        var result: [[String: String]] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            guard case .object(let fields) = row else { return nil }
            var record: [String: String] = [:]
            for (name, value) in fields {
                guard let text = value.string else { return nil }
                record[name] = text
            }
            result.append(record)
        }
        return result
    }
}
