import Foundation
import Extract
import Flows
import WebDriver

/// Finds elements on a page that look like what a broken selector meant: the same words in their
/// text, value, label, id or name, and the same kind of control.
struct CandidateFinder {
    let document: HTMLDocument

    /// The elements a person acts on, and anything with an id or a name.
    private static let pool = "//button | //a | //input[not(@type='hidden')] | //select | //textarea | //label | //*[@role='button'] | //*[@id] | //*[@name]"

    /// Up to three suggestions, best first, each a selector that matches exactly one element.
    func suggestions(for locator: Locator) -> [SelectorFinding.Suggestion] {
        let hints = Hints(locator)
        guard let elements = try? document.select(Self.pool) else { return [] }
        var scored: [(score: Double, suggestion: SelectorFinding.Suggestion)] = []
        var seen = Set<String>()
        for element in elements {
            let (score, reasons) = hints.score(element)
            guard score >= 1, let selector = uniqueSelector(for: element), seen.insert(selector).inserted else { continue }
            scored.append((score, SelectorFinding.Suggestion(selector: selector, why: reasons.joined(separator: ", "))))
        }
        return scored.sorted { $0.score > $1.score }.prefix(3).map(\.suggestion)
    }

    /// The shortest selector Ferry understands that finds this element and no other.
    private func uniqueSelector(for element: HTMLNode) -> String? {
        var options: [String] = []
        if let id = element.attribute("id"), !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            options.append("#\(id)")
        }
        if let name = element.attribute("name"), !name.isEmpty, !name.contains("'") {
            options.append("\(element.name)[name='\(name)']")
        }
        let text = Self.visibleText(element)
        if !text.isEmpty, text.count <= 60 { options.append("text=\(text)") }
        if let type = element.attribute("type"), let form = Self.ancestorForm(element)?.attribute("id") {
            options.append("#\(form) \(element.name)[type='\(type)']")
        }
        return options.first { SelectorDoctor.count(Locator($0), in: document) == 1 }
    }

    static func visibleText(_ element: HTMLNode) -> String {
        let text = element.normalizedText
        if !text.isEmpty { return text }
        return element.name == "input" ? (element.attribute("value") ?? "").trimmingCharacters(in: .whitespaces) : ""
    }

    private static func ancestorForm(_ element: HTMLNode) -> HTMLNode? {
        var node = element.parent
        while let current = node {
            if current.name == "form" { return current }
            node = current.parent
        }
        return nil
    }
}

/// What a selector says about the element it wants: words, ids, names, and whether it is a submit control.
private struct Hints {
    var words: Set<String> = []
    var identifiers: Set<String> = []
    var wantsSubmit = false

    init(_ locator: Locator) {
        switch locator {
        case .text(let text), .linkText(let text), .label(let text):
            words = Hints.tokens(text)
            wantsSubmit = true
        case .css(let css):
            identifiers = Hints.tokens(css)
            wantsSubmit = css.contains("button") || css.contains("submit")
        case .xpath(let xpath):
            // Quoted literals are texts or attribute values; the rest names tags and attributes.
            let literals = xpath.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            for literal in literals { words.formUnion(Hints.tokens(String(literal))) }
            wantsSubmit = xpath.contains("button") || xpath.contains("submit")
        }
        identifiers.subtract(["input", "button", "type", "name", "id", "class", "form", "div", "span", "a", "xpath", "text", "normalize", "space"])
    }

    func score(_ element: HTMLNode) -> (Double, [String]) {
        var score = 0.0
        var reasons: [String] = []
        let text = Hints.tokens(CandidateFinder.visibleText(element))
        let sharedWords = words.intersection(text)
        if !sharedWords.isEmpty {
            score += 2 * Double(sharedWords.count)
            reasons.append("text has \(sharedWords.sorted().joined(separator: ", "))")
        }
        let ids = Hints.tokens((element.attribute("id") ?? "") + " " + (element.attribute("name") ?? ""))
        let sharedIDs = identifiers.union(words).intersection(ids)
        if !sharedIDs.isEmpty {
            score += 1.5 * Double(sharedIDs.count)
            reasons.append("id or name has \(sharedIDs.sorted().joined(separator: ", "))")
        }
        // A typo or a small rename: `summry` for `summary`.
        let near = identifiers.subtracting(sharedIDs).compactMap { wanted in Suggestion.closest(to: wanted, in: ids).map { (wanted, $0) } }
        if !near.isEmpty {
            score += 1.5 * Double(near.count)
            reasons.append(near.map { "id or name '\($0.1)' is close to '\($0.0)'" }.joined(separator: ", "))
        }
        let isSubmit = element.name == "button" || element.attribute("type") == "submit"
        let isControl = isSubmit || ["a", "input", "select", "textarea", "label"].contains(element.name) || element.attribute("role") == "button"
        if wantsSubmit, isSubmit {
            score += 1.5
            reasons.append("a submit control, like the one the selector wanted")
        } else if wantsSubmit, !isControl {
            score -= 1
        }
        return (score, reasons)
    }

    /// Lowercase words, splitting on anything not a letter or digit and on camelCase.
    static func tokens(_ text: String) -> Set<String> {
        var tokens: Set<String> = []
        var current = ""
        var previousLower = false
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase, previousLower, !current.isEmpty {
                    tokens.insert(current.lowercased())
                    current = ""
                }
                current.append(character)
                previousLower = character.isLowercase
            } else {
                if current.count > 2 { tokens.insert(current.lowercased()) }
                current = ""
                previousLower = false
            }
        }
        if current.count > 2 { tokens.insert(current.lowercased()) }
        return tokens
    }
}
