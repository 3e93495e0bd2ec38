import Doctor
import Extract
import Flows
import Foundation
import Testing
import WebDriver

/// The doctor's proposals for renamed and moved controls, measured on a corpus of saved pages: each
/// page as a flow was written against (`NAME.before.html`) and as the system shows it after an upgrade
/// (`NAME.after.html`): ids and names changed, texts reworded, an input's value renamed, labels changed,
/// controls moved into other containers, and controls removed altogether. No browser: libxml2 alone.
@Suite("Proposals for renamed and moved controls")
struct CandidateFinderTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    /// One selector a flow was written with, broken by the page's change, and the element a maintainer
    /// would point it at now (`nil`: the control is gone, the doctor must say it has no good candidate).
    struct RenamedControl: CustomStringConvertible {
        var page: String
        var step: String
        var key: String
        var selector: String
        var expected: String?
        var after: String?

        init(_ page: String, _ step: String, _ key: String, _ selector: String, expected: String?, after: String? = nil) {
            self.page = page
            self.step = step
            self.key = key
            self.selector = selector
            self.expected = expected
            self.after = after
        }

        /// The page after the change.
        var afterFile: String { (after ?? page) + ".after" }

        var description: String { "\(after ?? page): \(step) \(key) \"\(selector)\"" }

        /// The step as a flow file writes it.
        var stepYAML: String {
            switch step {
            case "click": "click: \(key)"
            case "download": "download: { click: \(key), save_as: out.csv }"
            case "fill": "fill: { into: \(key), value: \"${secrets.value}\" }"
            case "select": "select: { in: \(key), option: x }"
            case "check": "check: \(key)"
            case "upload": "upload: { file: \"${inputs.file}\", into: \(key) }"
            case "table": "extract: { table: \(key), into: rows }"
            case "element": "expect: { element: \(key) }"
            case "text": "expect: { text: \(key), matches: \".\" }"
            default: "unknown: \(key)"
            }
        }
    }

    static let cases: [RenamedControl] = [
        // The issue's export button: a submit input whose value was renamed, among tabs and other submits.
        RenamedControl("export-list", "click", "appointments.export", "#export-csv", expected: "input[value='Export']"),
        RenamedControl("export-list", "download", "appointments.export", "text=Export CSV", expected: "input[value='Export']"),
        RenamedControl("export-list", "click", "appointments.export", "input[name=export]", expected: "input[value='Export']"),
        RenamedControl("export-list", "click", "appointments.export", "xpath=//form[@id='export-form']//input[@type='submit']", expected: "input[value='Export']"),
        RenamedControl("export-list", "element", "appointments.count", "p#row-count", expected: "span.count"),
        RenamedControl("export-list", "click", "appointments.download", "xpath=//div[@id='actions']/a[.='Download']", expected: "a.download"),
        RenamedControl("export-list", "click", "appointments.export", "#export-csv", expected: nil, after: "export-removed"),
        // A login form rebuilt: ids, names and labels changed, the button became an input.
        RenamedControl("login", "fill", "login.user", "#username", expected: "#login_name"),
        RenamedControl("login", "fill", "login.password", "input[name=pwd]", expected: "#login_secret"),
        RenamedControl("login", "click", "login.submit", "xpath=//button[normalize-space()='Sign in']", expected: "input[type=submit]"),
        RenamedControl("login", "fill", "login.user", "label=User name", expected: "#login_name"),
        RenamedControl("login", "check", "login.remember", "#remember-me", expected: "#remember"),
        RenamedControl("login", "fill", "login.captcha", "#captcha", expected: nil),
        // An entry form split into fieldsets, every id prefixed or renamed.
        RenamedControl("entry-form", "fill", "entry.patient", "#patient", expected: "#entry_patient"),
        RenamedControl("entry-form", "fill", "entry.amount", "#amount", expected: "#entry_amount"),
        RenamedControl("entry-form", "fill", "entry.date", "#date", expected: "#service_date"),
        RenamedControl("entry-form", "select", "entry.practitioner", "#practitioner", expected: "#doctor"),
        RenamedControl("entry-form", "fill", "entry.notes", "#notes", expected: "#remarks"),
        RenamedControl("entry-form", "click", "entry.save", "button#save", expected: "#entry-save"),
        RenamedControl("entry-form", "text", "entry.confirmation", "p#confirmation", expected: "p.confirm"),
        RenamedControl("entry-form", "element", "entry.errors", "ul.errors", expected: "div.error-list"),
        // A search page restyled: ids gone, a button reworded with its old word in its title, icons for links.
        RenamedControl("search-grid", "fill", "search.query", "#q", expected: "#search-term"),
        RenamedControl("search-grid", "click", "search.go", "xpath=//input[@value='Search']", expected: "button[title='Search']"),
        RenamedControl("search-grid", "text", "search.summary", "p#summary", expected: "div.summary"),
        RenamedControl("search-grid", "table", "search.results", "table#results", expected: "table.results-grid"),
        RenamedControl("search-grid", "click", "search.next_page", "a.next", expected: "a[title='Next page']"),
        // An upload form whose controls now speak only through aria-label.
        RenamedControl("upload", "upload", "upload.file", "#file", expected: "#csv-attachment"),
        RenamedControl("upload", "click", "upload.submit", "#upload", expected: "button[aria-label='Upload the file']"),
        RenamedControl("upload", "text", "upload.result", "p#upload-result", expected: "div.flash"),
        // A toolbar of text links turned into icons with titles.
        RenamedControl("toolbar", "click", "invoices.print", "#print-link", expected: "a[title='Print this list']"),
        RenamedControl("toolbar", "click", "invoices.delete", "text=Delete", expected: "a.danger"),
        RenamedControl("toolbar", "click", "invoices.refresh", "#refresh", expected: "button.icon"),
    ]

    /// The case as a one-step flow, checked on one saved page.
    private func finding(_ control: RenamedControl, on file: String) throws -> SelectorFinding {
        let yaml = """
            flow: corpus
            description: One step of a flow, on a saved page.
            inputs:
              file: { default: in.csv }
            secrets:
              value: env:VALUE
            selectors:
              \(control.key): "\(control.selector.replacingOccurrences(of: "\"", with: "\\\""))"
            stages:
              - name: page
                steps:
                  - \(control.stepYAML)
            """
        let check = FlowLoader().check(text: yaml, path: "corpus.yaml")
        let flow = try #require(check.flow, "\(control): \(check.diagnostics)")
        #expect(!check.diagnostics.containsErrors, "\(control): \(check.diagnostics)")
        let path = Self.corpus + "/\(file).html"
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let page = CapturedPage(stage: "page", step: 1, url: nil, path: path, html: html)
        return try #require(SelectorDoctor(flow: flow).check(pages: ["page/1": page]).first)
    }

    /// The elements a selector finds on a saved page.
    private func elements(_ selector: String, in document: HTMLDocument) throws -> [HTMLNode] {
        let query = Locator(selector).pageQuery
        return try document.nodes(query.using == "xpath" ? "xpath=" + query.value : query.value)
    }

    private func document(_ file: String) throws -> HTMLDocument {
        try HTMLDocument(html: try String(contentsOfFile: Self.corpus + "/\(file).html", encoding: .utf8), origin: file)
    }

    @Test("each case is real: the selector finds its element before the change and nothing after it")
    func casesAreReal() throws {
        #expect(Self.cases.count >= 20)
        for control in Self.cases {
            #expect(try finding(control, on: control.page + ".before").status == .ok, "\(control) should match one element before the change")
            #expect(try finding(control, on: control.afterFile).isBroken, "\(control) should match nothing after the change")
            if let expected = control.expected {
                #expect(try elements(expected, in: document(control.page + ".after")).count == 1, "\(control): the expected \(expected) must name one element")
            }
        }
    }

    @Test("the proposal names the element a maintainer would pick, for at least 90% of the corpus, and only ever one element")
    func hitRate() throws {
        var hits = 0
        var misses: [String] = []
        var lines: [String] = []
        for control in Self.cases {
            let file = control.afterFile
            let found = try finding(control, on: file)
            let page = try document(file)
            for suggestion in found.suggestions {
                #expect(try elements(suggestion.selector, in: page).count == 1, "\(control): \(suggestion.selector) must match exactly one element")
                #expect(suggestion.confidence >= 0 && suggestion.confidence <= 1)
            }
            let proposed = found.proposal
            let right: Bool
            if let expected = control.expected {
                right = try proposed.map { try elements($0.selector, in: page) == elements(expected, in: page) } ?? false
            } else {
                right = proposed == nil
            }
            lines.append("  \(right ? "✓" : "✗") \(control) → \(proposed.map { "\($0.selector) (\(Int(($0.confidence * 100).rounded()))%: \($0.why))" } ?? "no good candidate")")
            if right {
                hits += 1
            } else {
                let best = found.suggestions.prefix(3).map { "\($0.selector) (\(Int(($0.confidence * 100).rounded()))%: \($0.why))" }
                misses.append("  \(control): wanted \(control.expected ?? "no good candidate"), proposed \(proposed?.selector ?? "none"); ranked \(best)")
            }
        }
        let rate = Double(hits) / Double(Self.cases.count)
        print("Doctor proposals on the corpus:\n" + lines.joined(separator: "\n"))
        print("Doctor proposal hit rate: \(hits)/\(Self.cases.count) renamed or moved controls right at top-1 (\(Int((rate * 100).rounded()))%)")
        if !misses.isEmpty { print("Missed:\n" + misses.joined(separator: "\n")) }
        #expect(rate >= 0.9, "top-1 hit rate \(hits)/\(Self.cases.count) is under 90%:\n\(misses.joined(separator: "\n"))")
    }
}
