import Doctor
import Flows
import Testing

/// A selector that holds templates is checked as the run asked the page for it: rendered with the
/// run's inputs; one that needs an item's fields is not called broken.
@Suite("The doctor and selectors that follow the item")
struct TemplatedSelectorDoctorTests {
    static let page = CapturedPage(
        stage: "look", step: 2, url: nil, path: "grid.html",
        html: "<html><body><table id='grid'><tr><td>G-0001</td><td>open</td></tr></table><button id='ajax-next'>Next</button></body></html>")

    static func findings() throws -> [SelectorFinding] {
        let yaml = """
            flow: doctor-templates
            description: Templated selectors on a kept page.
            inputs:
              lab: { type: url, default: "http://127.0.0.1:8081" }
              next: { default: "#post-next" }
              records: { description: A CSV with a record column. }
            selectors:
              grid:
                next: "${inputs.next}"
                status_of: "xpath=//table[@id='grid']//tr[td[1]='${item.record}']/td[2]"
            stages:
              - name: load
                steps:
                  - read: { file: "${inputs.records}", as: csv, into: records, columns: [record] }
                  - items: { from: records, key: "${row.record}" }
              - name: look
                for_each_item: true
                steps:
                  - goto: "${inputs.lab}/lab/grid"
                  - click: grid.next
                  - expect: { text: grid.status_of, equals: open }
            """
        let check = FlowLoader().check(text: yaml, path: "doctor-templates.yaml")
        let flow = try #require(check.flow, "\(check.diagnostics)")
        return SelectorDoctor(flow: flow, inputs: ["next": "#ajax-next"]).check(pages: ["look/2": page, "look/3": page])
    }

    @Test("a selector made of an input is checked rendered, and shown so")
    func renderedWithInputs() throws {
        let finding = try #require(try Self.findings().first { $0.key == "grid.next" })
        #expect(finding.status == .ok)
        #expect(finding.matches.first?.candidate == "#ajax-next")
    }

    @Test("a selector that needs an item's fields is not checked, and says why")
    func itemSelectorsUnchecked() throws {
        let finding = try #require(try Self.findings().first { $0.key == "grid.status_of" })
        guard case .unchecked(let why) = finding.status else {
            Issue.record("expected unchecked, found \(finding.status)")
            return
        }
        #expect(why.contains("follows the item"))
        #expect(!finding.isBroken)
    }
}
