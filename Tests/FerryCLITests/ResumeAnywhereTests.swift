import Foundation
import Store
import Testing

/// Numbered problem 6 of issue 14: `ferry resume RUN` from another folder failed (the flow path was
/// stored relative, the run's folders not at all), and a flow edited between the run and its resume
/// was used silently although checkpoints are by step index.
@Suite("Resume anywhere, safely (issue 14, problem 6)")
struct ResumeAnywhereTests {
    /// Copies a list into the run folder, then reads that copy back along with a file that only exists
    /// once the test creates it: the first run fails at `check`, and a resume must find `copy.csv` in
    /// the run's own folder.
    static let flow = """
        flow: resume-anywhere
        description: Copies a list into the run folder, then checks it against a file that appears later.
        inputs:
          source: { type: text, description: The list to copy. }
          gate: { type: text, description: A file that exists only once the test creates it. }
        defaults:
          retry: { attempts: 1, backoff: 1s }
        stages:
          - name: copy
            steps:
              - read: { file: "${inputs.source}", as: csv, into: names }
              - write:
                  from: names
                  file: copy.csv
                  columns:
                    name: "${row.name}"
          - name: check
            steps:
              - read: { file: copy.csv, as: csv, into: copied }
              - read: { file: "${inputs.gate}", as: csv, into: gate }
        """

    /// A folder with the flow and its list, and a run of it that failed at `check`.
    struct StartedRun {
        let home: URL
        let db: String
        let gate: URL
        let runID: String

        init() async throws {
            home = try FerryProcess.temporaryDirectory()
            db = home.appendingPathComponent("ferry.db").path
            gate = home.appendingPathComponent("gate.csv")
            try ResumeAnywhereTests.flow.write(to: home.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
            try "name\nada\ngrace\n".write(to: home.appendingPathComponent("names.csv"), atomically: true, encoding: .utf8)
            let first = try await OperatorCommandTests.ferry(
                ["run", "flow.yaml", "--db", "ferry.db", "--input", "source=names.csv", "--input", "gate=\(gate.path)"], in: home)
            #expect(first.status == 1, "the first run should fail at check: \(first.output)")
            let run = try #require(try SQLiteRunStore(path: db).runs(flow: nil, limit: 1).first)
            runID = run.id
        }

        func editFlow(_ change: (String) -> String) throws {
            let url = home.appendingPathComponent("flow.yaml")
            try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
    }

    @Test("a run started in one folder resumes with `ferry resume` from another: its flow and its run folder are found")
    func resumeFromAnotherFolder() async throws {
        let started = try await StartedRun()
        let store = try SQLiteRunStore(path: started.db)
        let recorded = try #require(try store.run(id: started.runID))
        #expect(recorded.state == .failed)
        #expect(recorded.flowPath.hasPrefix("/") && recorded.flowPath.hasSuffix("/flow.yaml"))
        #expect(recorded.runsDirectory?.hasSuffix(started.home.lastPathComponent + "/runs") == true)
        #expect(recorded.screenshotsDirectory?.hasSuffix(started.home.lastPathComponent + "/screenshots") == true)
        #expect(recorded.flowSHA256?.count == 64)
        #expect(recorded.flowOutline?.stages.map(\.name) == ["copy", "check"])

        try "ok\n".write(to: started.gate, atomically: true, encoding: .utf8)
        let elsewhere = try FerryProcess.temporaryDirectory()
        let resumed = try await OperatorCommandTests.ferry(["resume", started.runID, "--db", started.db], in: elsewhere)

        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try store.run(id: started.runID)?.state == .succeeded)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("runs").path), "the resume made a run folder where it was started")
    }

    @Test("a resume refuses a flow whose stages or steps changed, saying what changed; --accept-flow-change goes on, audited")
    func refusesAChangedFlow() async throws {
        let started = try await StartedRun()
        let store = try SQLiteRunStore(path: started.db)

        // A comment moves every step down a line: that is no change.
        try started.editFlow { "# reviewed by bob\n" + $0 }
        let afterComment = try await OperatorCommandTests.ferry(["resume", started.runID, "--db", started.db], in: started.home)
        #expect(afterComment.status == 1, "still failing at check: \(afterComment.output)")
        #expect(!afterComment.output.contains("--accept-flow-change"), "\(afterComment.output)")

        try started.editFlow {
            $0.replacingOccurrences(of: "  - name: check\n    steps:\n", with: "  - name: check\n    steps:\n      - set: { checked_by: bob }\n")
                + "\n  - name: extra\n    steps:\n      - set: { extra: \"yes\" }\n"
        }
        try "ok\n".write(to: started.gate, atomically: true, encoding: .utf8)
        let refused = try await OperatorCommandTests.ferry(["resume", started.runID, "--db", started.db], in: started.home)

        #expect(refused.status == 1)
        #expect(refused.output.contains("changed since run \(started.runID) started"), "\(refused.output)")
        #expect(refused.output.contains("stage 'extra' added"), "\(refused.output)")
        #expect(refused.output.contains("stage 'check': step 1 changed from read copy.csv to set checked_by"), "\(refused.output)")
        #expect(refused.output.contains("step 3 (read ${inputs.gate}) added"), "\(refused.output)")
        #expect(refused.output.contains("--accept-flow-change"))
        #expect(try store.run(id: started.runID)?.state == .failed, "a refused resume changes nothing")

        let accepted = try await OperatorCommandTests.ferry(
            ["resume", started.runID, "--db", started.db, "--accept-flow-change"], in: started.home)

        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(try store.run(id: started.runID)?.state == .succeeded)
        let audit = try store.auditLog(entityType: "run", entityID: started.runID, limit: 100)
        let acceptance = try #require(audit.first { $0.reason?.contains("flow change accepted") == true })
        #expect(acceptance.reason?.contains("stage 'extra' added") == true)
        #expect(acceptance.payload?.contains("sha256_before") == true)
    }
}
