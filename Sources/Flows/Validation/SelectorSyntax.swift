import Extract
import Foundation
import WebDriver

/// Checks a selector candidate's syntax, CSS or XPath, without a browser.
///
/// CSS is checked by ``CSSSelectorSyntax``; XPath (written directly, or what `text=` and `label=`
/// compile to) by compiling and evaluating it with libxml2 against an empty page, which is XPath 1.0
/// as browsers implement it.
final class SelectorSyntax {
    private var page: HTMLDocument?

    init() {
        page = try? HTMLDocument(html: "<html><body></body></html>", origin: "selector check")
    }

    /// The problem with a candidate, or nil when it is valid.
    func problem(in candidate: SelectorCandidate) -> String? {
        let source = candidate.source
        switch candidate.locator {
        case .css(let css):
            guard let problem = CSSSelectorSyntax.problem(in: css) else { return nil }
            if css.hasPrefix("/") || css.hasPrefix("(") {
                return "'\(source)' is not valid CSS (\(problem.message)); an XPath needs the prefix: 'xpath=\(css)'"
            }
            return "'\(source)' is not valid CSS: \(problem.message)"
        case .xpath(let xpath):
            guard !xpath.trimmingCharacters(in: .whitespaces).isEmpty else { return "'xpath=' needs an expression after it" }
            return xpathProblem(xpath).map { "'\(source)' is not valid XPath: \($0)" }
        case .text(let text), .label(let text), .linkText(let text):
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                return "'\(source.prefix { $0 != "=" })=' needs the text to look for after it"
            }
            if case .text = candidate.locator, let compiled = xpathProblem(candidate.locator.strategy.value) { return compiled }
            return nil
        }
    }

    /// The problem with an XPath 1.0 expression, or nil when it compiles and runs.
    func xpathProblem(_ xpath: String) -> String? {
        guard let page else { return nil }
        guard xpath.utf8.count <= 4000 else { return "the expression is longer than 4000 characters" }
        do {
            _ = try page.select(xpath)
        } catch {
            return "libxml2 cannot compile it as XPath 1.0 (check brackets, quotes and function names)"
        }
        // libxml2 looks functions up only when a predicate runs, which never happens on an empty page.
        return Self.unknownFunction(in: xpath)
    }

    static let xpathFunctions: Set<String> = [
        "boolean", "ceiling", "concat", "contains", "count", "false", "floor", "id", "lang", "last", "local-name", "name",
        "namespace-uri", "normalize-space", "not", "number", "position", "round", "starts-with", "string", "string-length",
        "substring", "substring-after", "substring-before", "sum", "translate", "true",
    ]
    static let nodeTests: Set<String> = ["comment", "node", "processing-instruction", "text"]
    static let operatorNames: Set<String> = ["and", "or", "div", "mod"]

    /// The first name called like a function that XPath 1.0 does not have (`matches()`, `lower-case()`).
    static func unknownFunction(in xpath: String) -> String? {
        let characters = Array(xpath)
        var index = 0
        var quote: Character?
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
                index += 1
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                index += 1
                continue
            }
            guard character.isLetter || character == "_" else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || "-_.".contains(characters[index]) {
                index += 1
            }
            let name = String(characters[start..<index])
            let previous = start > 0 ? characters[start - 1] : " "
            var next = index
            while next < characters.count, characters[next].isWhitespace { next += 1 }
            guard next < characters.count, characters[next] == "(", previous != "@", previous != "$" else { continue }
            let known = xpathFunctions.union(nodeTests).union(operatorNames)
            if !known.contains(name) {
                if let suggestion = Suggestion.closest(to: name, in: xpathFunctions) {
                    return "'\(name)()' is not an XPath 1.0 function; did you mean '\(suggestion)()'?"
                }
                return "'\(name)()' is not an XPath 1.0 function, which is all browsers run"
            }
        }
        return nil
    }
}
