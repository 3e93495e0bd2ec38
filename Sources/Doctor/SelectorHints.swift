import Foundation
import Flows
import WebDriver

/// What a broken selector (and its key, and its step) says about the element it meant: the words a
/// person saw on it, the words of its id, name or class, the tag and the kind of control.
struct SelectorHints: Sendable {
    /// Phrases the element showed (`text=Export CSV`, `[value='Search']`, `[title=...]`), each as its words.
    var shown: [[String]] = []
    /// Words of its id, name, class or href (`#export-csv` → export, csv).
    var identifiers: Set<String> = []
    /// Words of the key's last part (`appointments.export` → export): what the maintainer called it.
    var purpose: Set<String> = []
    /// Words of the key's other parts (`appointments`): where it is.
    var context: Set<String> = []
    /// The tag the selector named, when it named one.
    var tag: String?
    /// The kind of element the step needs.
    var kind: ControlKind?

    /// Attributes whose values a person sees (or a screen reader says).
    static let shownAttributes: Set<String> = ["value", "title", "aria-label", "placeholder", "alt"]

    init(key: String, candidates: [Locator], wanted: ControlKind?) {
        let parts = key.split(separator: ".").map(String.init)
        purpose = Set(Words.of(parts.last ?? key)).subtracting(Words.structural)
        context = Set(parts.dropLast().flatMap { Words.of($0) }).subtracting(Words.structural).subtracting(purpose)
        var type: String?
        for locator in candidates {
            switch locator {
            case .text(let text), .linkText(let text):
                shown.append(Words.of(text))
                if case .linkText = locator { tag = tag ?? "a" }
            case .label(let text):
                shown.append(Words.of(text))
            case .css(let css):
                read(css: css, type: &type)
            case .xpath(let xpath):
                read(xpath: xpath, type: &type)
            }
        }
        identifiers.subtract(Words.structural)
        shown = shown.filter { !$0.isEmpty }
        kind = wanted ?? ControlKind.named(tag: tag, type: type)
        if case .label = candidates.first, kind == nil { kind = .textField }
    }

    private mutating func read(css: String, type: inout String?) {
        for match in Self.matches(#"[#.]([A-Za-z_][\w-]*)"#, in: css) { identifiers.formUnion(Words.of(match[1])) }
        for match in Self.matches(#"\[\s*([\w-]+)\s*[~|^$*]?=\s*(?:'([^']*)'|"([^"]*)"|([^\]\s]*))\s*\]"#, in: css) {
            let value = match[2].isEmpty ? (match[3].isEmpty ? match[4] : match[3]) : match[2]
            attribute(match[1].lowercased(), value, type: &type)
        }
        // The last compound's tag: `form#f input[type=submit]` → input.
        let last = css.split(whereSeparator: { " >+~".contains($0) }).last.map(String.init) ?? css
        if let tagMatch = Self.matches(#"^([A-Za-z][A-Za-z0-9]*)"#, in: last).first { tag = tagMatch[1].lowercased() }
    }

    private mutating func read(xpath: String, type: inout String?) {
        for match in Self.matches(#"@([\w-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")"#, in: xpath) {
            attribute(match[1].lowercased(), match[2].isEmpty ? match[3] : match[2], type: &type)
        }
        for match in Self.matches(#"contains\(\s*@([\w-]+)\s*,\s*(?:'([^']*)'|"([^"]*)")"#, in: xpath) {
            attribute(match[1].lowercased(), match[2].isEmpty ? match[3] : match[2], type: &type)
        }
        let textual = #"(?:normalize-space\(\s*\.?\s*\)|normalize-space\(\s*text\(\)\s*\)|text\(\)|\.)"#
        for match in Self.matches(textual + #"\s*=\s*(?:'([^']*)'|"([^"]*)")"#, in: xpath) {
            shown.append(Words.of(match[1].isEmpty ? match[2] : match[1]))
        }
        for match in Self.matches(#"contains\(\s*"# + textual + #"\s*,\s*(?:'([^']*)'|"([^"]*)")"#, in: xpath) {
            shown.append(Words.of(match[1].isEmpty ? match[2] : match[1]))
        }
        // The last location step's element name: `//form[@id='f']//input[@type='submit']` → input.
        let withoutPredicates = xpath.replacingOccurrences(of: #"\[[^\[\]]*\]"#, with: "", options: .regularExpression)
        if let step = Self.matches(#"/([A-Za-z][A-Za-z0-9]*)\s*$"#, in: withoutPredicates).first { tag = step[1].lowercased() }
    }

    private mutating func attribute(_ name: String, _ value: String, type: inout String?) {
        if name == "type" {
            type = value
        } else if Self.shownAttributes.contains(name) {
            shown.append(Words.of(value))
        } else {
            identifiers.formUnion(Words.of(value))
        }
    }

    /// Capture groups of every match (group 0 the whole match; a group that did not take part is empty).
    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).map { result in
            (0..<result.numberOfRanges).map { index in
                Range(result.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }
}
