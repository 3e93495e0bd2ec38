import Foundation
import Store

/// Writes a run's HTML report and JUnit file into its folder when it ends, so a cron job, a CI
/// system or a person finds them next to the run's downloads.
struct RunReportFiles {
    static let htmlName = "report.html"
    static let junitName = "junit.xml"

    let store: any RunStore
    let folder: String

    /// Never throws: a run's outcome does not depend on its report. Problems are returned as text.
    func write(runID: String) -> String? {
        do {
            guard let report = try RunReport.load(runID: runID, store: store) else { return "no run \(runID) to report" }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let recorded = Set(try store.artifacts(runID: runID).filter { $0.kind == .report }.compactMap(\.name))
            for (name, text) in [(Self.htmlName, report.html(folder: folder)), (Self.junitName, report.junitXML())] {
                let data = Data(text.utf8)
                let path = folder + "/" + name
                // The report of a resumed run replaces the earlier one: it covers the whole run.
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
                if !recorded.contains(name) {
                    _ = try store.recordArtifact(
                        Artifact(runID: runID, kind: .report, path: path, size: data.count, sha256: FileDigest.sha256(data), name: name),
                        actor: "engine")
                }
            }
            return nil
        } catch {
            return "could not write the run report into \(folder): \(error)"
        }
    }
}
