import Testing
@testable import Flows

/// A selector may follow the item (`xpath=//tr[td='${item.invoice}']//a`): its names are checked
/// where a step uses it, and its syntax with stand-ins for the values.
@Suite("Selectors that follow the item")
struct TemplatedSelectorTests {
    private func check(selector: String, usedIn stage: String) -> [FlowDiagnostic] {
        let yaml = """
            flow: templated
            description: A flow written in a test.
            inputs:
              site: { type: url, default: "http://127.0.0.1:8081" }
              invoices: { description: The invoices to open. }
            selectors:
              row.edit: "\(selector)"
            stages:
              - name: load
                steps:
                  - read: { file: "${inputs.invoices}", as: csv, into: invoices, columns: [invoice, amount] }
                  - items: { from: invoices, key: "${row.invoice}" }
            \(stage == "load" ? "      - click: row.edit" : "")
              - name: enter
                for_each_item: true
                steps:
                  - goto: "${inputs.site}/invoices"
            \(stage == "enter" ? "      - click: row.edit" : "")
            """
        return FlowText.check(yaml).diagnostics
    }

    @Test("a selector holding an item field is clean in a per-item stage")
    func clean() {
        let diagnostics = check(selector: "xpath=//tr[td='${item.invoice}']//a[.='Edit']", usedIn: "enter")
        #expect(diagnostics.map(\.message) == [])
    }

    @Test("an unknown item field in a selector is an error at its place in the selectors, with a did-you-mean")
    func unknownField() throws {
        let diagnostics = check(selector: "xpath=//tr[td='${item.invoise}']//a", usedIn: "enter")
        let problem = try #require(diagnostics.first)
        #expect(problem.message == "unknown item field 'item.invoise'; did you mean 'item.invoice'?")
        #expect(problem.location.line == 7)
        #expect(problem.location.column == 31)
    }

    @Test("a selector that follows the item cannot be used where there is no item")
    func outsideItems() {
        let diagnostics = check(selector: "xpath=//tr[td='${item.invoice}']//a", usedIn: "load")
        #expect(diagnostics.contains { $0.message.contains("item") && $0.severity == .error }, "\(diagnostics.map(\.message))")
    }

    @Test("a broken template in a selector is an error of the file, and its syntax is checked with stand-ins")
    func syntax() {
        #expect(check(selector: "xpath=//tr[td='${item.invoice'", usedIn: "enter").contains { $0.message.contains("never closed") })
        #expect(check(selector: "xpath=//tr[td=='${item.invoice}']", usedIn: "enter").contains { $0.message.contains("not valid XPath") || $0.message.contains("selector 'row.edit'") })
    }
}
