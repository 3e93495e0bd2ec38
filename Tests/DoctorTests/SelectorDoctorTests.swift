import Doctor
import Engine
import FixtureSites
import Flows
import Foundation
import Logging
import Store
import Testing

/// The selector doctor against the bundled fixture sites, in real Chromium.
@Suite("The selector doctor", .serialized)
struct SelectorDoctorTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dailySync = repository.appendingPathComponent("flows/clinic-daily-sync.yaml").path
    static let withoutFallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Flows/login-without-fallback.yaml").path
    static let exportRenamed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Flows/export-renamed.yaml").path

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-doctor-\(UUID().uuidString)").path
    let fixtures = FixtureServer(FixtureConfiguration())

    private func doctor(_ sites: FixtureEndpoints) -> OnlineDoctor {
        var options = RunOptions()
        options.inputs = ["clinic": sites.clinic.absoluteString, "ledger": sites.ledger.absoluteString, "date": "2026-11-22"]
        options.environment = [
            "CLINIC_USER": FixtureCredentials.clinicUser, "CLINIC_PASSWORD": FixtureCredentials.clinicPassword,
            "LEDGER_USER": FixtureCredentials.ledgerUser, "LEDGER_PASSWORD": FixtureCredentials.ledgerPassword,
        ]
        options.logger = Logger(label: "doctor-test") { _ in SwiftLogNoOpLogHandler() }
        return OnlineDoctor(options: options, folder: folder + "/\(UUID().uuidString)")
    }

    /// The flows folder copied, with `edits` applied to the daily sync, so the includes still resolve.
    private func editedDailySync(_ edits: [(String, String)]) throws -> String {
        let copy = folder + "/flows-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: Self.repository.appendingPathComponent("flows").path, toPath: copy)
        let path = copy + "/clinic-daily-sync.yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        for (old, new) in edits {
            try #require(text.contains(old), "the daily sync no longer holds \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("on the fixture every selector of the daily sync is found, and an edited one is checked offline against the pages kept")
    func healthyThenOffline() async throws {
        let sites = try await fixtures.start()
        let doctor = doctor(sites)

        let result = try await doctor.check(flowPath: Self.dailySync)
        await fixtures.stop()

        #expect(result.report.exitCode == 0, "\(result.report.text())")
        #expect(result.report.broken.isEmpty && result.report.drifted.isEmpty)
        #expect(result.report.findings.contains { $0.key == "ledger.entry.save" && $0.status == .ok })
        #expect(result.report.findings.contains { $0.key == "ledger.entry.errors" && $0.status != .broken })
        #expect(result.screenshots.isEmpty)

        // Offline: the fixture sites are gone; the pages the check kept are enough.
        let store = try SQLiteRunStore(path: doctor.folder + "/doctor.db")
        let edited = try FlowLoader.load(path: try editedDailySync([("summary: \"p#summary\"", "summary: \"p#summry\""), ("save: [\"button#save\"", "save: [\"button#store\"")]))
        let offline = try OfflineDoctor.check(flow: edited, store: store)

        #expect(offline.exitCode == 1)
        let summary = try #require(offline.broken.first { $0.key == "appointments.summary" })
        #expect(summary.suggestions.first?.selector == "#summary")
        let save = try #require(offline.drifted.first { $0.key == "ledger.entry.save" })
        #expect(save.status == .drift(fallback: 1))
        // The fallback that works goes first; the primary that matches nothing is not kept.
        #expect(offline.proposedEdits().contains { $0.hasPrefix("ledger.entry.save: [\"text=Save\", \"xpath=//form[@id='entry-form']//*[@type='submit']\"]") })
        #expect(!offline.proposedEdits().contains { $0.contains("button#store") || $0.contains("p#summry") })
        #expect(offline.text().contains("1 broken, 1 drifted"))

        // A renamed copy of the flow file finds the same pages: the run is matched by the flow's stages and steps.
        let copy = try editedDailySync([("flow: clinic-daily-sync", "flow: daily-sync-copy")])
        let renamed = try OfflineDoctor.check(flow: try FlowLoader.load(path: copy), store: store)
        #expect(renamed.exitCode == 0, "\(renamed.text())")
        #expect(renamed.source.contains("clinic-daily-sync"))
        #expect(renamed.findings.map(\.status) == result.report.findings.map(\.status), "\(renamed.text())")
        // Or named: --run RUN.
        let runID = try #require(try store.runs(flow: nil, limit: 10).first?.id)
        #expect(try OfflineDoctor.check(flow: try FlowLoader.load(path: copy), store: store, runID: runID).exitCode == 0)
    }

    @Test("a broken selector does not end the online check: every stage after it is checked, and the renamed export link is proposed alone")
    func goesOnPastBroken() async throws {
        let sites = try await fixtures.start()

        let result = try await doctor(sites).check(flowPath: Self.exportRenamed)
        await fixtures.stop()

        let report = result.report
        #expect(report.exitCode == 1, "\(report.text())")
        #expect(report.broken.map(\.key) == ["appointments.export"], "\(report.text())")
        #expect(!report.findings.contains { if case .unchecked = $0.status { true } else { false } }, "\(report.text())")
        #expect(report.findings.contains { $0.key == "appointments.summary" && $0.status == .ok })
        #expect(report.findings.contains { $0.key == "billing.export" && $0.status == .ok })
        #expect(report.findings.contains { $0.key == "patients.registry" && $0.status == .ok })
        let export = try #require(report.broken.first)
        #expect(export.proposal?.selector == "#export", "\(report.text())")
        #expect(report.proposedEdits().contains { $0.hasPrefix("appointments.export: [\"#export\"]") }, "\(report.text())")
        #expect(result.runFailure?.contains("appointments.export") == true)
        #expect(result.screenshots["appointments.export"] != nil)
    }

    @Test("when the login's own button is broken, the stages behind the login are not checked on the login page and not called broken")
    func brokenLoginStopsWhatNeedsIt() async throws {
        let sites = try await fixtures.start()
        fixtures.setFaults(FixtureFaults(renamedButton: true), site: .clinic)

        let result = try await doctor(sites).check(flowPath: Self.exportRenamed)
        await fixtures.stop()

        let report = result.report
        #expect(report.broken.map(\.key) == ["clinic.login.submit"], "\(report.text())")
        #expect(report.broken.first?.proposal?.selector == "#login-go", "\(report.text())")
        for key in ["appointments.export", "billing.export", "patients.registry"] {
            let finding = try #require(report.findings.first { $0.key == key })
            #expect(finding.status == .unchecked("the run did not reach this step, so its page was not seen"), "\(key): \(report.text())")
        }
    }

    @Test("with the renamed-button switch on, both buttons are named as drifted, with a candidate outlined in a screenshot")
    func renamedButtons() async throws {
        let sites = try await fixtures.start()
        fixtures.setFaults(FixtureFaults(renamedButton: true), site: .clinic)
        fixtures.setFaults(FixtureFaults(renamedButton: true), site: .ledger)

        let result = try await doctor(sites).check(flowPath: Self.dailySync)
        await fixtures.stop()

        #expect(result.report.exitCode == 2, "\(result.report.text())")
        #expect(Set(result.report.drifted.map(\.key)) == ["clinic.login.submit", "ledger.entry.save"])
        let save = try #require(result.report.drifted.first { $0.key == "ledger.entry.save" })
        #expect(save.suggestions.first?.selector == "#save-entry")
        #expect(result.report.proposedEdits().contains { $0.hasPrefix("clinic.login.submit: [\"#login-form [type=submit]\"") })
        let shot = try #require(result.screenshots["clinic.login.submit"])
        #expect(FileManager.default.contents(atPath: shot)?.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true)
    }

    @Test("a renamed button without a fallback is broken: named, with the renamed button suggested, and exit status 1")
    func brokenWithoutFallback() async throws {
        let sites = try await fixtures.start()
        fixtures.setFaults(FixtureFaults(renamedButton: true), site: .clinic)

        let result = try await doctor(sites).check(flowPath: Self.withoutFallback)
        await fixtures.stop()

        #expect(result.report.exitCode == 1)
        let broken = try #require(result.report.broken.first)
        #expect(broken.key == "clinic.login.submit")
        #expect(broken.pageURL?.hasSuffix("/login") == true)
        #expect(broken.suggestions.first?.selector == "#login-go")
        #expect(result.report.text().contains("Broken: 'clinic.login.submit' at clinic_login step 4 (\(Self.withoutFallback):"))
        #expect(result.runFailure?.contains("clinic.login.submit") == true)
        #expect(result.screenshots["clinic.login.submit"] != nil)
        // The check went on past the click, but the page the wait expects never came: not blamed on its selector.
        let logout = try #require(result.report.findings.first { $0.key == "clinic.logout" })
        #expect(logout.status == .unchecked("step 4 before it failed, so this may not be the page it expects; fix that step first"), "\(result.report.text())")
        #expect(result.report.broken.count == 1)
    }
}
