import Engine
import Flows
import Foundation
import Store
import WebDriver

/// Checks a flow's selectors on the live system: a shadow run (no step that changes the target
/// system is taken, every retry policy cut to one attempt, a failed step or stage passed so the rest
/// is still seen) keeps each page a selector step acts on, then ``SelectorDoctor`` checks them and a screenshot outlines the best candidate of each broken
/// or drifted selector.
public struct OnlineDoctor: Sendable {
    public var options: RunOptions
    /// Where the check keeps its run, store and screenshots.
    public var folder: String

    public init(options: RunOptions, folder: String) {
        self.options = options
        self.folder = folder
    }

    public struct Result: Sendable {
        public var report: DoctorReport
        /// The run's first failure (usually at the first broken selector); the run went on past it.
        public var runFailure: String?
        /// Screenshots with a candidate outlined, by selector key.
        public var screenshots: [String: String]
    }

    public func check(flowPath: String) async throws -> Result {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try SQLiteRunStore(path: folder + "/doctor.db")
        var options = options
        options.shadow = true
        options.keepGoing = true
        options.maxAttempts = 1
        options.capturePages = true
        options.runsDirectory = folder + "/runs"
        options.screenshotsDirectory = folder + "/screenshots"
        let outcome = try await FlowRunner(store: store, options: options).start(flowPath: flowPath)
        let flow = try FlowLoader.load(path: flowPath)
        let pages = try CapturedPage.pages(of: outcome.run.id, store: store)
        let failedSteps = try store.checkpoints(runID: outcome.run.id)
            .filter { $0.state == .failed && $0.itemKey == nil }
            .compactMap { checkpoint in checkpoint.step.map { (stage: checkpoint.stage, step: $0 + 1) } }
        let findings = Self.afterFailures(SelectorDoctor(flow: flow, inputs: outcome.run.inputs).check(pages: pages), failedSteps: failedSteps, flow: flow)
        let report = DoctorReport(flow: flow, findings: findings, source: "a shadow run just now (\(outcome.run.id))")
        let screenshots = await outline(report.findings.filter { $0.isBroken || $0.isDrift }, pages: pages)
        return Result(report: report, runFailure: outcome.run.failure, screenshots: screenshots)
    }

    /// A selector found missing after an earlier step of its stage failed, where that step may have
    /// been the one to bring its page (a click that did not happen), is not called broken: it is not
    /// checked until the step before it works.
    static func afterFailures(_ findings: [SelectorFinding], failedSteps: [(stage: String, step: Int)], flow: Flow) -> [SelectorFinding] {
        findings.map { finding in
            guard finding.isBroken,
                let stage = flow.stages.first(where: { $0.name == finding.stage }),
                let failed = failedSteps.filter({ $0.stage == finding.stage && $0.step < finding.step }).map(\.step).max(),
                stage.steps.indices.contains(failed - 1),
                stage.steps[failed - 1].flattened.contains(where: { $0.action.kind.mayNavigate || $0.action.kind.waitsForPage })
            else { return finding }
            var finding = finding
            finding.status = .unchecked("step \(failed) before it failed, so this may not be the page it expects; fix that step first")
            finding.suggestions = []
            return finding
        }
    }

    /// Opens each problem's page as it was captured and saves a screenshot with its best candidate
    /// outlined. Best effort: a screenshot that cannot be made is left out.
    private func outline(_ findings: [SelectorFinding], pages: [String: CapturedPage]) async -> [String: String] {
        guard !findings.isEmpty else { return [:] }
        var shots: [String: String] = [:]
        let supply: (session: WebDriverSession, driver: ChromeDriverService?)
        do {
            if let url = options.webDriverURL {
                supply = (try await WebDriverSession.start(at: url, options: options.browser), nil)
            } else {
                let driver = try await ChromeDriverService.start(executable: options.chromedriver)
                supply = (try await WebDriverSession.start(at: driver.url, options: options.browser), driver)
            }
        } catch {
            options.logger.warning("no screenshots of the candidates: the browser did not start: \(error)")
            return [:]
        }
        defer { supply.driver?.stop() }
        let session = supply.session
        let folder = self.folder + "/screenshots"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for finding in findings {
            guard let path = finding.pagePath, let page = pages.values.first(where: { $0.path == path }) else { continue }
            let copy = folder + "/\(Self.safe(finding.key))-page.html"
            let html = page.url.map { Self.withBase(page.html, url: $0) } ?? page.html
            guard (try? html.write(toFile: copy, atomically: true, encoding: .utf8)) != nil else { continue }
            do {
                try await session.navigate(to: URL(fileURLWithPath: copy).absoluteString)
                if let best = finding.proposal ?? finding.fallbackSuggestion {
                    let query = Locator(best.selector).pageQuery
                    _ = try await session.executeScript(
                        """
                        const [using, value] = arguments;
                        const el = using === 'xpath'
                          ? document.evaluate(value, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue
                          : document.querySelector(value);
                        if (el) { el.style.outline = '4px solid #e0245e'; el.style.outlineOffset = '3px'; el.scrollIntoView({block: 'center'}); }
                        return !!el;
                        """, arguments: [.string(query.using), .string(query.value)])
                }
                let png = try await session.screenshot()
                let path = folder + "/\(Self.safe(finding.key)).png"
                try png.write(to: URL(fileURLWithPath: path))
                shots[finding.key] = path
            } catch {
                options.logger.warning("no screenshot for \(finding.key): \(error)")
            }
        }
        try? await session.quit()
        return shots
    }

    /// The page with a `<base>` so its styles and images load from where it came from.
    static func withBase(_ html: String, url: String) -> String {
        let tag = "<base href=\"\(url.replacingOccurrences(of: "\"", with: "%22"))\">"
        if let head = html.range(of: "<head>", options: .caseInsensitive) {
            return html.replacingCharacters(in: head, with: "<head>" + tag)
        }
        return tag + html
    }

    static func safe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}

extension SelectorFinding {
    /// For a drift: the fallback that matched, to outline when nothing better was found.
    var fallbackSuggestion: Suggestion? {
        if case .drift(let fallback) = status { return Suggestion(selector: matches[fallback].candidate, why: "the fallback that matched", confidence: 1) }
        return nil
    }
}
