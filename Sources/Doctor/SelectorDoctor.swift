import Extract
import Flows
import Foundation
import WebDriver

/// Checks every selector of a flow against the pages its steps acted on, with libxml2: no browser,
/// so a maintainer can try an edited selector in well under a second.
public struct SelectorDoctor: Sendable {
    public let flow: Flow
    /// The run's inputs, for selectors that hold templates (`"${inputs.next}"`).
    public let inputs: [String: String]

    public init(flow: Flow, inputs: [String: String] = [:]) {
        self.flow = flow
        self.inputs = inputs
    }

    /// A candidate as the page was asked for it: rendered with the run's inputs when it holds
    /// templates; nil when it needs what only a step knows (an item's fields).
    private func rendered(_ candidate: SelectorCandidate) -> (source: String, locator: Locator)? {
        var context = TemplateContext()
        context.inputs = inputs.mapValues(TemplateValue.text)
        return try? candidate.rendered(in: context)
    }

    /// One finding per selector use (a key used by two steps is checked on both pages), in flow order.
    public func check(pages: [String: CapturedPage]) -> [SelectorFinding] {
        var findings: [SelectorFinding] = []
        var documents: [String: HTMLDocument] = [:]
        for stage in flow.stages {
            for (index, step) in stage.steps.enumerated() {
                let number = index + 1
                let references = step.flattened.flatMap { inner in inner.action.selectors.map { (reference: $0, action: inner.action) } }
                guard !references.isEmpty else { continue }
                let page = Self.page(for: index, in: stage, pages: pages)
                var document: HTMLDocument?
                if let page {
                    document = documents[page.path] ?? (try? HTMLDocument(html: page.html, origin: page.path))
                    documents[page.path] = document
                }
                let mayBeAbsent = Self.selectorsThatMayBeAbsent(step)
                for (reference, action) in references {
                    var finding = check(reference, wanted: ControlKind.wanted(by: action, for: reference.key), stage: stage, step: number, page: page, document: document)
                    if let why = mayBeAbsent[reference.key], finding.matches.allSatisfy({ $0.count == 0 }), finding.isBroken {
                        finding.status = .absentAsAllowed(why)
                        finding.suggestions = []
                    }
                    findings.append(finding)
                }
            }
        }
        return findings
    }

    private func check(_ reference: SelectorReference, wanted: ControlKind?, stage: Stage, step: Int, page: CapturedPage?, document: HTMLDocument?) -> SelectorFinding {
        var finding = SelectorFinding(
            key: reference.key, stage: stage.name, step: step, location: reference.location, pageURL: page?.url, pagePath: page?.path,
            status: .unchecked(""), matches: [], suggestions: [])
        guard let definition = flow.selectors[reference.key] else {
            finding.status = .unchecked("the key is not defined in 'selectors:'")
            return finding
        }
        guard let document else {
            finding.status = .unchecked(page == nil ? "the run did not reach this step, so its page was not seen" : "the page could not be read")
            finding.matches = definition.candidates.map { SelectorFinding.Match(candidate: $0.source, count: nil) }
            return finding
        }
        finding.matches = definition.candidates.map { candidate in
            guard let rendered = rendered(candidate) else { return SelectorFinding.Match(candidate: candidate.source, count: nil) }
            return SelectorFinding.Match(candidate: rendered.source, count: Self.count(rendered.locator, in: document))
        }
        if definition.primary.isTemplated, rendered(definition.primary) == nil {
            finding.status = .unchecked("it follows the item (\(definition.primary.source)); a run checks it with each item's values")
            return finding
        }
        guard let primary = finding.matches.first?.count else {
            finding.status = .unchecked("the primary cannot be checked without a browser (CSS outside the subset libxml2 is given)")
            return finding
        }
        if primary == 1 {
            finding.status = .ok
        } else if primary > 1 {
            finding.status = .ambiguous(count: primary)
        } else if let fallback = finding.matches.indices.dropFirst().first(where: { (finding.matches[$0].count ?? 0) > 0 }) {
            finding.status = .drift(fallback: fallback)
            finding.suggestions = CandidateFinder(document: document).suggestions(key: reference.key, candidates: definition.candidates.map { rendered($0)?.locator ?? $0.locator }, wanted: wanted)
        } else {
            finding.status = .broken
            finding.suggestions = CandidateFinder(document: document).suggestions(key: reference.key, candidates: definition.candidates.map { rendered($0)?.locator ?? $0.locator }, wanted: wanted)
        }
        return finding
    }

    /// The page a step acted on: the one kept for it, or for an earlier step of the stage with no
    /// step that may change the page in between (a run keeps a page only when it changed).
    static func page(for index: Int, in stage: Stage, pages: [String: CapturedPage]) -> CapturedPage? {
        if let page = pages[CapturedPage.key(stage: stage.name, step: index + 1)] { return page }
        var candidate = index - 1
        while candidate >= 0 {
            let steps = stage.steps[candidate].flattened
            // A step that may have left the page: what was kept before it shows the page it left.
            if steps.contains(where: { $0.action.kind.mayNavigate }) { return nil }
            if let page = pages[CapturedPage.key(stage: stage.name, step: candidate + 1)] { return page }
            // A wait the run kept no page for was never finished.
            if steps.contains(where: { $0.action.kind.waitsForPage && !$0.action.selectors.isEmpty }) { return nil }
            candidate -= 1
        }
        return nil
    }

    /// The selectors a step is content not to find, and why.
    static func selectorsThatMayBeAbsent(_ step: Step) -> [String: String] {
        var keys: [String: String] = [:]
        for step in step.flattened {
            switch step.action {
            case .expect(let expect):
                if case .absent(let reference) = expect.subject { keys[reference.key] = "the step expects it absent" }
            case .wait(let wait):
                if case .hidden(let reference) = wait.condition { keys[reference.key] = "the step waits for it to go" }
            case .extract(let extract):
                if case .table(_, _, let next?, _) = extract.source { keys[next.key] = "the last page has no next link" }
            default:
                break
            }
        }
        return keys
    }

    /// How many elements a locator matches on the page, or nil when libxml2 cannot evaluate it.
    static func count(_ locator: Locator, in document: HTMLDocument) -> Int? {
        let query = locator.pageQuery
        let selector = query.using == "xpath" ? "xpath=" + query.value : query.value
        return (try? document.nodes(selector))?.count
    }
}
