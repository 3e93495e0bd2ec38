import Foundation
import Extract
import Flows
import WebDriver

/// Finds the element of a page a broken selector meant, the way a maintainer would: by what the
/// element shows (its text, an input's value, its label, `aria-label`, `title`), by the words of its
/// id, name and class, by what the selector's key calls it, and by its kind (a button for a click,
/// a text field for a fill). Each suggestion is a selector that matches that one element and no
/// other, with a confidence from 0 to 1; below ``proposalThreshold``, or when two elements fit about
/// equally well, the doctor says it has no good candidate instead of guessing.
struct CandidateFinder {
    let document: HTMLDocument

    /// The confidence a suggestion needs to be proposed as the selector's replacement.
    static let proposalThreshold = 0.5

    /// Up to three suggestions, best first.
    func suggestions(key: String, candidates: [Locator], wanted: ControlKind?) -> [SelectorFinding.Suggestion] {
        let hints = SelectorHints(key: key, candidates: candidates, wanted: wanted)
        let labels = ElementTraits.labels(in: document)
        let elements = ((try? document.select("//body//*")) ?? []).compactMap { ElementTraits($0, labels: labels) }
        let kindCounts = elements.reduce(into: [ControlKind: Int]()) { $0[$1.kind, default: 0] += 1 }

        var scored: [(evidence: Double, reasons: [String], traits: ElementTraits, order: Int)] = []
        for (order, traits) in elements.enumerated() {
            if let kind = hints.kind, !Self.fits(traits.kind, wanted: kind) { continue }
            let (evidence, reasons) = Self.evidence(traits, hints: hints, soleOfKind: kindCounts[traits.kind] == 1)
            guard evidence > 0 else { continue }
            scored.append((evidence, reasons, traits, order))
        }
        // Best evidence first; on a tie, the element with the least inside it (the control, not its row).
        scored.sort { a, b in
            if a.evidence != b.evidence { return a.evidence > b.evidence }
            let aSize = a.traits.element.children.count, bSize = b.traits.element.children.count
            return aSize != bSize ? aSize < bSize : a.order < b.order
        }
        var suggestions: [SelectorFinding.Suggestion] = []
        for (index, candidate) in scored.prefix(8).enumerated() {
            guard let selector = uniqueSelector(for: candidate.traits) else { continue }
            let rival = scored.indices.filter { $0 != index }.map { scored[$0].evidence }.max() ?? 0
            let margin = min(1, max(0, candidate.evidence - rival) / 0.25)
            let confidence = (candidate.evidence * (0.5 + 0.5 * margin) * 100).rounded() / 100
            var why = candidate.reasons
            if margin < 1, rival > 0 { why.append("another element fits \(margin == 0 ? "as" : "almost as") well") }
            suggestions.append(SelectorFinding.Suggestion(selector: selector, why: why.joined(separator: "; "), confidence: confidence))
            if suggestions.count == 3 { break }
        }
        return suggestions
    }

    /// Whether an element of one kind can stand in for the kind a step needs.
    static func fits(_ kind: ControlKind, wanted: ControlKind) -> Bool {
        kind == wanted
    }

    /// How strongly an element matches the hints (0 to 1), and why. Each clue adds its weight to the
    /// rest as independent evidence would: 1 − ∏(1 − weight). Being the only control of its kind
    /// alone is never enough.
    static func evidence(_ traits: ElementTraits, hints: SelectorHints, soleOfKind: Bool) -> (Double, [String]) {
        var clues: [Double] = []
        var reasons: [String] = []
        var bestShown: (score: Double, source: String, text: String) = (0, "", "")
        for phrase in hints.shown {
            let wanted = phrase.joined(separator: " ")
            for shown in traits.shown {
                var score = Words.coverage(of: Set(phrase), in: shown.words).share
                if Words.of(shown.text).joined(separator: " ") == wanted { score = 1 }
                if phrase.count > 1, shown.words.contains(phrase.joined()) { score = max(score, 0.95) }
                if score > bestShown.score { bestShown = (score, shown.source, shown.text) }
            }
        }
        if bestShown.score > 0 {
            clues.append(0.85 * bestShown.score)
            reasons.append("shows '\(bestShown.text)' (\(bestShown.source))")
        }
        let identifiers = Words.coverage(of: hints.identifiers, in: traits.allWords)
        if identifiers.share > 0 {
            clues.append(0.7 * identifiers.share)
            reasons.append("matches the selector's \(identifiers.matched.joined(separator: ", "))")
        }
        let purpose = Words.coverage(of: hints.purpose, in: traits.allWords)
        if purpose.share > 0 {
            clues.append(0.6 * purpose.share)
            reasons.append("matches the key's \(purpose.matched.joined(separator: ", "))")
        }
        let context = Words.coverage(of: hints.context, in: traits.allWords)
        if context.share > 0 { clues.append(0.15 * context.share) }
        guard !clues.isEmpty else { return (0, []) }
        if let wanted = hints.kind, wanted.isControl, soleOfKind {
            clues.append(0.45)
            reasons.append("the only \(wanted.rawValue) on the page")
        } else if let wanted = hints.kind {
            reasons.append("\(wanted == .content ? "an" : "a") \(wanted.rawValue), as the step needs")
        }
        if let tag = hints.tag, tag == traits.element.name { clues.append(0.1) }
        let evidence = 1 - clues.reduce(1) { $0 * (1 - $1) }
        return (evidence, reasons)
    }

    /// The first selector Ferry understands that finds this element and no other, preferring what a
    /// maintainer reads easily and what survives small changes: an id, a name, what it shows, its label.
    private func uniqueSelector(for traits: ElementTraits) -> String? {
        let element = traits.element
        let tag = element.name
        var options: [String] = []
        func quoted(_ value: String) -> String? {
            let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty || value.contains("'") || value.contains("\n") ? nil : "'\(value)'"
        }
        if let id = element.attribute("id"), !id.isEmpty, id.first?.isLetter == true,
           id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            options.append("#\(id)")
        }
        if let name = element.attribute("name").flatMap(quoted) { options.append("\(tag)[name=\(name)]") }
        if traits.kind == .button {
            let text = element.normalizedText.isEmpty ? (element.attribute("value") ?? "") : element.normalizedText
            // An icon's character (», ↻) is no text to find a control by.
            if text.count <= 60, text.contains(where: { $0.isLetter || $0.isNumber }) { options.append("text=\(text)") }
        }
        if traits.kind.isControl, let label = traits.shown.first(where: { $0.source == "label" })?.text, label.count <= 60 {
            options.append("label=\(label)")
        }
        for attribute in ["aria-label", "title", "placeholder", "value", "alt"] {
            if attribute == "value", traits.kind != .button { continue }
            if let value = element.attribute(attribute).flatMap(quoted) { options.append("\(tag)[\(attribute)=\(value)]") }
        }
        let classes = (element.attribute("class") ?? "").split(separator: " ").map(String.init)
            .filter { $0.first?.isLetter == true && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } }
        options += classes.map { "\(tag).\($0)" }
        if classes.count > 1 { options.append(tag + classes.map { ".\($0)" }.joined()) }
        if let href = element.attribute("href").flatMap(quoted) { options.append("\(tag)[href=\(href)]") }
        if let type = element.attribute("type").flatMap(quoted) { options.append("\(tag)[type=\(type)]") }
        options.append(tag)
        return options.first { selector in
            let query = Locator(selector).pageQuery
            let nodes = (try? document.nodes(query.using == "xpath" ? "xpath=" + query.value : query.value)) ?? []
            return nodes.count == 1 && nodes[0] == element
        }
    }
}
