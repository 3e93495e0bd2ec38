import ArgumentParser
import Engine
import Extract
import Foundation
import Store

/// A shadow run's output next to what people entered by hand.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare what a shadow run would have entered with a manual CSV: matching, differing fields, only on one side.",
        discussion: """
            Run the flow with --shadow first: it does everything but the steps that change the target system and
            writes what it would have entered to runs/RUN/shadow-output.csv. Each comparison is kept in the audit log,
            so --history shows the agreement rate day by day.

              ferry run flows/clinic-daily-sync.yaml --shadow --input date=2026-11-20
              ferry compare RUN manual-2026-11-20.csv --key appointment_id --html comparison.html
              ferry compare --history clinic-daily-sync
            """
    )

    @OptionGroup var store: StoreOptionGroup

    @Argument(help: ArgumentHelp("The shadow run's id.", valueName: "run"))
    var runID: String?

    @Argument(help: ArgumentHelp("The manual process's CSV.", valueName: "manual.csv"))
    var manual: String?

    @Option(help: ArgumentHelp("The manual file's key column (the automation's is its item key).", valueName: "column"))
    var key = "id"

    @Option(help: ArgumentHelp("Compare only these fields, comma-separated (default: every field both sides have).", valueName: "fields"))
    var fields: String?

    @Option(help: ArgumentHelp("Also write the comparison as an HTML page.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Instead: the agreement rate of each comparison of this flow, oldest first.", valueName: "flow"))
    var history: String?

    func run() throws {
        let store = try store.openExisting()
        if let flow = history {
            let rows = try store.auditLog(entityType: "comparison", entityID: nil, limit: 10_000).filter { ($0.payload ?? "").contains("\"flow\":\"\(flow)\"") }
            guard !rows.isEmpty else { throw ValidationError("no comparisons of \(flow) yet; run `ferry compare RUN manual.csv --key ...` after a shadow run") }
            print("day         run                                          agreement  problems")
            for row in rows {
                let payload = (try? JSONDecoder().decode([String: String].self, from: Data((row.payload ?? "{}").utf8))) ?? [:]
                print((payload["day"] ?? "?").padding(12) + row.entityID.padding(45) + (payload["agreement"] ?? "?").padding(11) + (payload["problems"] ?? "?"))
            }
            return
        }
        guard let runID, let manual else { throw ValidationError("give the shadow run and the manual CSV: ferry compare RUN manual.csv --key COLUMN") }
        guard let run = try store.run(id: runID) else { throw ValidationError("there is no run \(runID); `ferry runs` lists the runs") }
        guard let output = try store.artifacts(runID: runID).last(where: { $0.name == "shadow-output.csv" }) else {
            throw ValidationError("run \(runID) has no shadow output: was it run with --shadow, and did it reach a per-item stage?")
        }
        let automation = try ReportReader.read(path: output.path, format: .csv)
        let people = try ReportReader.read(path: manual)
        guard people.columns.contains(key) else {
            throw ValidationError("\(manual) has no column '\(key)'; its columns are \(people.columns.joined(separator: ", ")). Name the key with --key")
        }
        let comparison = ShadowComparison(
            automation: automation.records, automationKey: "key", manual: people.records, manualKey: key,
            fields: fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        print(comparison.text(), terminator: "")
        let page = Data(comparison.html(title: "\(run.flow): shadow run \(run.id) vs \((manual as NSString).lastPathComponent)").utf8)
        // Kept with the run, so the dashboard's run page links it.
        let folder = (output.path as NSString).deletingLastPathComponent
        let stem = ((manual as NSString).lastPathComponent as NSString).deletingPathExtension
        if let kept = NonOverwritingFile.write(page, to: folder + "/comparison-\(stem).html") {
            _ = try store.recordArtifact(
                Artifact(runID: run.id, kind: .report, path: kept, size: page.count, sha256: FileDigest.sha256(page), name: (kept as NSString).lastPathComponent),
                actor: "cli:" + RunOptions.userName)
            print("kept with the run: \(kept)")
        }
        if let html {
            try page.write(to: URL(fileURLWithPath: html), options: .atomic)
            print("written: \(html)")
        }
        try store.appendAudit(AuditEvent(
            actor: "cli:" + RunOptions.userName, entityType: "comparison", entityID: run.id,
            reason: String(format: "shadow output vs %@: %.1f%% agreement", (manual as NSString).lastPathComponent, comparison.agreementRate * 100),
            payload: [
                "flow": run.flow, "day": run.inputs["date"] ?? String(run.startedAt.formatted(.iso8601).prefix(10)),
                "agreement": String(format: "%.1f%%", comparison.agreementRate * 100), "problems": String(comparison.problemCount),
                "manual": manual,
            ]))
    }
}
