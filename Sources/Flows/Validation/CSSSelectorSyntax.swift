import Foundation

/// Checks CSS selector syntax the way a browser's `querySelector` would, before any browser starts.
///
/// Covers Selectors Level 4 as Chromium accepts it: type, universal, `#id`, `.class`, attribute
/// selectors with every operator and the `i`/`s` flags, pseudo-classes (functional ones with their
/// arguments: `:not()`, `:is()`, `:where()`, `:has()`, `:nth-child(2n+1 of .x)`), and the `>`, `+`,
/// `~` and descendant combinators in comma-separated lists. jQuery-only pseudo-classes such as
/// `:contains()` are reported with the Ferry way to write them.
struct CSSSelectorSyntax {
    /// A syntax problem: what and where (a character offset into the selector).
    struct Problem: Error, Equatable {
        var message: String
        var offset: Int
    }

    static let pseudoClasses: Set<String> = [
        "active", "any-link", "autofill", "checked", "default", "defined", "disabled", "empty", "enabled", "first-child",
        "first-of-type", "focus", "focus-visible", "focus-within", "fullscreen", "hover", "in-range", "indeterminate",
        "invalid", "last-child", "last-of-type", "link", "only-child", "only-of-type", "optional", "out-of-range",
        "placeholder-shown", "read-only", "read-write", "required", "root", "scope", "target", "user-invalid",
        "user-valid", "valid", "visited",
    ]
    static let selectorFunctions: Set<String> = ["not", "is", "where", "has"]
    static let nthFunctions: Set<String> = ["nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"]
    static let identifierFunctions: Set<String> = ["lang", "dir"]
    static let jQueryOnly: [String: String] = [
        "contains": "use 'text=...' for an element by its text",
        "eq": "use ':nth-child(n)' or an XPath",
        "first": "use ':first-child' or ':first-of-type'",
        "last": "use ':last-child' or ':last-of-type'",
        "visible": "CSS cannot test visibility; wait for 'visible' instead",
        "hidden": "CSS cannot test visibility; wait for 'hidden' instead",
        "button": "use 'button, input[type=submit]'",
        "input": "use 'input, select, textarea'",
        "text": "use 'input[type=text]'",
        "gt": "use ':nth-child(n + k)'",
        "lt": "use ':nth-child(-n + k)'",
    ]
    static let maximumNesting = 16

    private let characters: [Character]
    private var index = 0
    private var nesting = 0

    /// The first problem in `selector`, or nil when it is valid CSS.
    static func problem(in selector: String) -> Problem? {
        guard selector.count <= 2000 else { return Problem(message: "the selector is longer than 2000 characters", offset: 0) }
        var parser = CSSSelectorSyntax(characters: Array(selector))
        do {
            parser.skipWhitespace()
            guard !parser.atEnd else { return Problem(message: "the selector is empty", offset: 0) }
            try parser.selectorList(relative: false, closing: nil)
            return nil
        } catch {
            return error
        }
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private var atEnd: Bool { index >= characters.count }
    private var current: Character? { atEnd ? nil : characters[index] }

    private func peek(_ offset: Int = 1) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Problem {
        Problem(message: message, offset: offset ?? index)
    }

    private func describeCurrent() -> String {
        current.map { "'\($0)'" } ?? "the end"
    }

    private mutating func skipWhitespace() {
        while let character = current, character.isWhitespace { index += 1 }
    }

    // MARK: Lists and combinators

    /// `a, b > c`; stops at `closing` (for functional pseudo-classes) or the end.
    private mutating func selectorList(relative: Bool, closing: Character?) throws(Problem) {
        while true {
            skipWhitespace()
            try complexSelector(relative: relative, closing: closing)
            skipWhitespace()
            if current == "," {
                index += 1
                skipWhitespace()
                if atEnd || current == closing { throw fail("a selector is missing after ','") }
                continue
            }
            if let closing, current == closing { return }
            if atEnd {
                if closing != nil { throw fail("'(' is never closed; add ')'") }
                return
            }
            throw fail("unexpected \(describeCurrent())")
        }
    }

    private mutating func complexSelector(relative: Bool, closing: Character?) throws(Problem) {
        if relative, let character = current, ">+~".contains(character) {
            index += 1
            skipWhitespace()
        }
        try compoundSelector()
        while true {
            let start = index
            skipWhitespace()
            let sawSpace = index > start
            guard let character = current, character != ",", character != closing else { return }
            if ">+~".contains(character) {
                index += 1
                skipWhitespace()
                guard let next = current, next != ",", next != closing else { throw fail("a selector is missing after '\(character)'") }
                if ">+~".contains(next) { throw fail("two combinators in a row ('\(character)' then '\(next)')") }
                try compoundSelector()
            } else if sawSpace {
                try compoundSelector()
            } else {
                throw fail("unexpected \(describeCurrent())")
            }
        }
    }

    // MARK: Compound selectors

    private mutating func compoundSelector() throws(Problem) {
        let start = index
        if current == "*" {
            index += 1
        } else if let character = current, Self.startsIdentifier(character, peek(), peek(2)) {
            _ = try identifier()
        }
        if current == "|" {
            throw fail("namespace selectors ('ns|name') are not supported in flows; drop the namespace")
        }
        while let character = current {
            switch character {
            case "#":
                index += 1
                guard let next = current, Self.isNameCharacter(next) || next == "\\" else {
                    throw fail("'#' needs an id after it")
                }
                if next.isNumber {
                    throw fail("an id selector cannot start with a digit; write [id='\(Self.word(from: index, in: characters))'] instead", at: index - 1)
                }
                try name()
            case ".":
                index += 1
                guard let next = current, Self.startsIdentifier(next, peek(), peek(2)) else {
                    throw fail("'.' needs a class name after it")
                }
                _ = try identifier()
            case "[":
                try attributeSelector()
            case ":":
                try pseudo()
            default:
                guard index > start else { throw fail("expected a selector, found \(describeCurrent())") }
                return
            }
        }
        guard index > start else { throw fail("expected a selector, found the end") }
    }

    private mutating func attributeSelector() throws(Problem) {
        let open = index
        index += 1
        skipWhitespace()
        guard let character = current, Self.startsIdentifier(character, peek(), peek(2)) else {
            throw fail(atEnd ? "'[' is never closed; add ']'" : "'[' needs an attribute name, found \(describeCurrent())")
        }
        _ = try identifier()
        skipWhitespace()
        if current == "]" {
            index += 1
            return
        }
        guard let operatorStart = current else { throw fail("'[' is never closed; add ']'", at: open) }
        if operatorStart == "=" {
            index += 1
        } else if "~|^$*".contains(operatorStart), peek() == "=" {
            index += 2
        } else {
            throw fail("expected ']' or an operator (=, ~=, |=, ^=, $=, *=), found \(describeCurrent())")
        }
        skipWhitespace()
        guard let value = current else { throw fail("the attribute's value is missing") }
        if value == "\"" || value == "'" {
            try quotedString()
        } else if Self.startsIdentifier(value, peek(), peek(2)) {
            _ = try identifier()
        } else {
            throw fail("the attribute's value must be a name or quoted, like [name='\(Self.word(from: index, in: characters))']")
        }
        skipWhitespace()
        if let flag = current, flag == "i" || flag == "s" || flag == "I" || flag == "S", peek().map({ $0 == "]" || $0.isWhitespace }) ?? false {
            index += 1
            skipWhitespace()
        }
        guard current == "]" else {
            throw fail(atEnd ? "'[' is never closed; add ']'" : "expected ']', found \(describeCurrent())", at: atEnd ? open : nil)
        }
        index += 1
    }

    private mutating func pseudo() throws(Problem) {
        let start = index
        index += 1
        if current == ":" {
            index += 1
            let name = try identifier().lowercased()
            throw fail("pseudo-elements ('::\(name)') never match an element; remove it", at: start)
        }
        guard let first = current, Self.startsIdentifier(first, peek(), peek(2)) else {
            throw fail("':' needs a pseudo-class name after it")
        }
        let name = try identifier().lowercased()
        if let advice = Self.jQueryOnly[name] {
            throw fail("':\(name)' is jQuery, not CSS; \(advice)", at: start)
        }
        guard current == "(" else {
            guard Self.pseudoClasses.contains(name) else {
                if Self.selectorFunctions.contains(name) || Self.nthFunctions.contains(name) || Self.identifierFunctions.contains(name) {
                    throw fail("':\(name)' needs its argument in parentheses", at: start)
                }
                let suggestion = Suggestion.closest(to: name, in: Self.pseudoClasses).map { "; did you mean ':\($0)'?" } ?? ""
                throw fail("unknown pseudo-class ':\(name)'" + suggestion, at: start)
            }
            return
        }
        index += 1
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else { throw fail("pseudo-classes nest too deeply") }
        skipWhitespace()
        guard !atEnd else { throw fail("'(' is never closed; add ')'") }
        if Self.selectorFunctions.contains(name) {
            guard current != ")" else { throw fail("':\(name)()' needs a selector inside") }
            try selectorList(relative: name == "has", closing: ")")
        } else if Self.nthFunctions.contains(name) {
            try nthArgument()
            skipWhitespace()
            if name.hasSuffix("child"), current == "o", peek() == "f", peek(2).map({ $0.isWhitespace }) ?? false {
                index += 2
                skipWhitespace()
                try selectorList(relative: false, closing: ")")
            }
        } else if Self.identifierFunctions.contains(name) {
            if current == "\"" || current == "'" { try quotedString() } else { _ = try identifier() }
        } else {
            let functions = Self.selectorFunctions.union(Self.nthFunctions).union(Self.identifierFunctions)
            let suggestion = Suggestion.closest(to: name, in: functions).map { "; did you mean ':\($0)()'?" } ?? ""
            throw fail("unknown pseudo-class ':\(name)()'" + suggestion, at: start)
        }
        skipWhitespace()
        guard current == ")" else { throw fail(atEnd ? "'(' is never closed; add ')'" : "expected ')', found \(describeCurrent())") }
        index += 1
    }

    /// `odd`, `even`, `3`, `2n+1`, `-n + 3`.
    private mutating func nthArgument() throws(Problem) {
        let start = index
        var text = ""
        while let character = current, character.isLetter || character.isNumber || "+- ".contains(character) {
            if character == " ", peek() == "o", peek(2) == "f" { break }
            text.append(character)
            index += 1
        }
        let compact = text.filter { $0 != " " }.lowercased()
        if compact == "odd" || compact == "even" { return }
        let valid = compact.range(of: #"^[+-]?(\d*n([+-]\d+)?|\d+)$"#, options: .regularExpression) != nil
        guard valid else { throw fail("expected 'odd', 'even', a number or 'An+B' like '2n+1'", at: start) }
    }

    // MARK: Tokens

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_" || !character.isASCII
    }

    static func startsIdentifier(_ first: Character, _ second: Character?, _ third: Character?) -> Bool {
        if first.isLetter || first == "_" || first == "\\" || !first.isASCII { return true }
        if first == "-", let second {
            return second.isLetter || second == "_" || second == "-" || second == "\\" || !second.isASCII
        }
        return false
    }

    /// An identifier: must not start with a digit.
    private mutating func identifier() throws(Problem) -> String {
        guard let first = current, Self.startsIdentifier(first, peek(), peek(2)) else {
            throw fail("expected a name, found \(describeCurrent())")
        }
        return try name()
    }

    /// Name characters and escapes.
    @discardableResult
    private mutating func name() throws(Problem) -> String {
        var text = ""
        while let character = current {
            if character == "\\" {
                index += 1
                guard let escaped = current, !escaped.isNewline else { throw fail("'\\' at the end escapes nothing") }
                text.append(escaped)
                index += 1
            } else if Self.isNameCharacter(character) {
                text.append(character)
                index += 1
            } else {
                break
            }
        }
        return text
    }

    private mutating func quotedString() throws(Problem) {
        let open = index
        let quote = characters[index]
        index += 1
        while let character = current {
            index += 1
            if character == "\\" {
                index += 1
            } else if character == quote {
                return
            } else if character.isNewline {
                break
            }
        }
        throw fail("the quoted text is never closed; add \(quote)", at: open)
    }

    private static func word(from start: Int, in characters: [Character]) -> String {
        var end = start
        while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
        return String(characters[start..<end])
    }
}
