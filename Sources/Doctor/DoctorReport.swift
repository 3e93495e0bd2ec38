import Flows
import Foundation

/// The doctor's verdict on a flow's selectors, for the terminal and for the exit status.
public struct DoctorReport: Sendable {
    public var flow: Flow
    public var findings: [SelectorFinding]
    /// Where the pages came from: "run X of <date>" or "this check's shadow run".
    public var source: String

    public init(flow: Flow, findings: [SelectorFinding], source: String) {
        self.flow = flow
        self.findings = findings
        self.source = source
    }

    public var broken: [SelectorFinding] { findings.filter(\.isBroken) }
    public var drifted: [SelectorFinding] { findings.filter(\.isDrift) }

    /// 0 when every primary matches, 1 when a selector matches nothing, 2 when only fallbacks match.
    public var exitCode: Int32 {
        if !broken.isEmpty { return 1 }
        if !drifted.isEmpty { return 2 }
        return 0
    }

    /// One line per selector use, then the problems with suggestions, then the proposed edits.
    public func text() -> String {
        var lines = ["Selectors of \(flow.name), checked on the pages of \(source):", ""]
        let keyWidth = (findings.map(\.key.count).max() ?? 0) + 2
        let placeWidth = (findings.map { "\($0.stage) step \($0.step)".count }.max() ?? 0) + 2
        for finding in findings {
            let place = "\(finding.stage) step \(finding.step)"
            let verdict: String
            switch finding.status {
            case .ok: verdict = "ok"
            case .ambiguous(let count): verdict = "found \(count) elements (the flow acts on the first)"
            case .drift(let fallback): verdict = "DRIFT: primary found nothing; fallback \(fallback + 1) \(finding.matches[fallback].candidate) matches"
            case .broken: verdict = "BROKEN: nothing matches"
            case .absentAsAllowed(let why): verdict = "ok: absent (\(why))"
            case .unchecked(let why): verdict = "not checked: \(why)"
            }
            lines.append("  " + finding.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + place.padding(toLength: placeWidth, withPad: " ", startingAt: 0) + verdict)
        }
        let problems = findings.filter { $0.isBroken || $0.isDrift }
        for finding in problems {
            lines.append("")
            lines.append("\(finding.isBroken ? "Broken" : "Drifted"): '\(finding.key)' at \(finding.stage) step \(finding.step) (\(finding.location))"
                + (finding.pageURL.map { " on \($0)" } ?? ""))
            for match in finding.matches {
                lines.append("    \(match.candidate)  → \(match.count.map { "\($0) found" } ?? "not checkable offline")")
            }
            if finding.suggestions.isEmpty {
                lines.append("    no good candidate: no element on the page looks like what it meant")
            } else {
                if finding.proposal == nil {
                    lines.append("    no good candidate: nothing on the page fits well enough to propose (\(Self.percent(CandidateFinder.proposalThreshold)) needed); the closest:")
                } else {
                    lines.append("    elements on the page that look like what it meant (each selector matches that element alone):")
                }
                for suggestion in finding.suggestions {
                    lines.append("      \(suggestion.selector)   \(Self.percent(suggestion.confidence)) (\(suggestion.why))")
                }
            }
        }
        let edits = proposedEdits()
        if !edits.isEmpty {
            lines.append("")
            lines.append("Proposed edits to 'selectors:' (check them, then run ferry doctor --offline again):")
            lines += edits.map { "  " + $0 }
        }
        lines.append("")
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    public var summary: String {
        let keys = Set(findings.map(\.key)).count
        let unchecked = findings.filter { if case .unchecked = $0.status { true } else { false } }.count
        var parts = ["\(keys) selectors in \(findings.count) uses", "\(broken.count) broken", "\(drifted.count) drifted"]
        if unchecked > 0 { parts.append("\(unchecked) not checked") }
        return parts.joined(separator: ", ")
    }

    /// For each drifted or broken key: the candidate list with what works first, as YAML to paste.
    /// The primary that matched nothing is left out: a drifted key's working fallback takes its place,
    /// a broken key's proposal does; a broken key with no good candidate gets no edit.
    public func proposedEdits() -> [String] {
        var edits: [String] = []
        var done = Set<String>()
        for finding in findings where (finding.isDrift || finding.isBroken) && done.insert(finding.key).inserted {
            guard let definition = flow.selectors[finding.key] else { continue }
            var candidates = definition.candidates.map(\.source)
            if case .drift(let fallback) = finding.status {
                let working = candidates.remove(at: fallback)
                candidates[0] = working
            } else if let best = finding.proposal {
                candidates[0] = best.selector
            } else {
                continue
            }
            var seen = Set<String>()
            candidates = candidates.filter { seen.insert($0).inserted }
            let list = candidates.map { "\"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"" }.joined(separator: ", ")
            edits.append("\(finding.key): [\(list)]    # \(definition.location)")
        }
        return edits
    }
}
