import Foundation
import Testing
@testable import Flows

/// The flows in `flows/` are the format's showcase: they must be clean, and mean what they say.
@Suite("Example flows")
struct ExampleFlowTests {
    @Test("every file in flows/ checks without errors or warnings", arguments: FlowFixtures.exampleFlows)
    func checksClean(_ path: String) {
        let check = FlowLoader.check(path: path)

        #expect(check.diagnostics.map(\.description) == [])
        #expect(check.flow != nil)
    }

    @Test("flows/ has the daily sync, shared logins and examples of every step kind")
    func coversTheVocabulary() throws {
        let flows = FlowFixtures.exampleFlows.compactMap { FlowLoader.check(path: $0).flow }
        let kinds = Set(flows.flatMap { $0.stages.flatMap(\.allSteps).map(\.kind) })

        #expect(kinds == Set(StepKind.allCases))
        #expect(flows.contains { $0.name == "clinic-daily-sync" })
        #expect(flows.filter { $0.kind == .fragment }.map(\.name).sorted() == ["clinic-login", "ledger-login"])
    }

    @Test("the daily sync logs in, downloads both reports, makes items and enters them per item")
    func dailySync() throws {
        let flow = try FlowLoader.load(path: FlowFixtures.flowsDirectory.appendingPathComponent("clinic-daily-sync.yaml").path)

        #expect(flow.stages.map(\.name) == [
            "clinic_login", "download_appointments", "download_billing", "read_registry", "process", "ledger_login", "enter_in_ledger",
        ])
        #expect(flow.stages.filter(\.isSession).map(\.name) == ["clinic_login", "ledger_login"])
        #expect(flow.includedFiles.map { ($0 as NSString).lastPathComponent } == ["clinic-login.yaml", "ledger-login.yaml"])
        #expect(flow.secrets.map(\.source.description) == [
            "env:CLINIC_USER", "env:CLINIC_PASSWORD", "env:LEDGER_USER", "env:LEDGER_PASSWORD",
        ])
        #expect(flow.input(named: "date")?.defaultValue?.source == "${today - 1d}")

        let perItem = try #require(flow.stage(named: "enter_in_ledger"))
        #expect(perItem.perItem?.workers == 2)
        #expect(perItem.perItem?.session == "ledger_login")
        let save = try #require(perItem.steps.first { $0.kind == .click })
        #expect(save.sideEffect)
        #expect(save.idempotencyKey?.source == "ledger-entry-${work.key}")
        #expect(flow.errorAction(for: .application, step: save, in: perItem) == .review)
        #expect(flow.errorAction(for: .business, step: perItem.steps[0], in: perItem) == .review)

        // Nothing is entered unless the day's figures agree, and the records are cleaned up first.
        let process = try #require(flow.stage(named: "process"))
        let gates = process.steps.compactMap { step -> [String]? in
            if case .reconcile(let reconcile) = step.action { reconcile.gates.map(\.name) } else { nil }
        }
        #expect(gates == [["export_complete", "billing_lines_complete", "billing_adds_up", "daily_volume"]])
        #expect(process.steps.filter { $0.kind == .normalize }.count == 3)
        guard case .items(let items)? = process.steps.last?.action else {
            Issue.record("the process stage does not end by making work items")
            return
        }
        #expect(items.joins.map(\.with) == ["billing", "patients"])
        #expect(items.joins.allSatisfy { $0.missing == .review && $0.reason != nil })
    }

    @Test("a selector key lists its fallbacks in order, the primary first")
    func fallbacks() throws {
        let flow = try FlowLoader.load(path: FlowFixtures.flowsDirectory.appendingPathComponent("clinic-daily-sync.yaml").path)

        let save = try #require(flow.selectors["ledger.entry.save"])

        #expect(save.candidates.map(\.source) == ["button#save", "text=Save", "xpath=//form[@id='entry-form']//*[@type='submit']"])
        #expect(save.primary.locator == .css("button#save"))
        #expect(save.candidates[2].locator == .xpath("//form[@id='entry-form']//*[@type='submit']"))
        #expect(flow.selectors["clinic.login.password"]?.primary.source == "input[name=pwd]")
    }

    @Test("loading a fragment as a flow to run is refused")
    func fragmentsDoNotRun() {
        let path = FlowFixtures.flowsDirectory.appendingPathComponent("shared/clinic-login.yaml").path

        #expect(throws: FlowLoadError.self) { try FlowLoader.load(path: path) }
        #expect(FlowLoader.check(path: path).isValid)
    }
}
