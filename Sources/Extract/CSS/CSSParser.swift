/// Parses Ferry's CSS subset (see ``CSSSelector``) into selectors, reporting the 1-based column of
/// the first problem.
///
/// Tag and attribute names are lower-cased, as libxml2's HTML parser stores them; values keep their case.
struct CSSParser {
    private let source: String
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
    }

    /// A comma-separated list of complex selectors, covering the whole input.
    mutating func parseList() throws(ExtractError) -> [CSSComplexSelector] {
        skipWhitespace()
        guard !atEnd else { throw failure("the selector is empty; write e.g. `table#appointments` or `xpath=//table[1]`", at: 0) }
        var list = [try parseComplex()]
        while !atEnd {
            guard peek == "," else { throw unexpected() }
            index += 1
            skipWhitespace()
            guard !atEnd, peek != "," else { throw failure("a selector must follow ','", at: index) }
            list.append(try parseComplex())
        }
        return list
    }

    private mutating func parseComplex() throws(ExtractError) -> CSSComplexSelector {
        var compounds = [try parseCompound()]
        var combinators: [CSSComplexSelector.Combinator] = []
        var attribute: String?
        while true {
            let spaced = skipWhitespace()
            if atEnd || peek == "," { break }
            if peek == ":" && peek(1) == ":" {
                attribute = try parsePseudoElement()
                skipWhitespace()
                guard atEnd || peek == "," else { throw failure("nothing may follow `::attr(...)`; it must end the selector", at: index) }
                break
            }
            let combinator: CSSComplexSelector.Combinator
            let position = index
            switch peek {
            case ">": combinator = .child
            case "+": combinator = .adjacentSibling
            case "~": combinator = .generalSibling
            default:
                guard spaced else { throw unexpected() }
                combinator = .descendant
            }
            if combinator != .descendant {
                index += 1
                skipWhitespace()
            }
            guard !atEnd, peek != "," else { throw failure("'\(scalars[position])' must be followed by a selector", at: position) }
            combinators.append(combinator)
            compounds.append(try parseCompound())
        }
        return CSSComplexSelector(compounds: compounds, combinators: combinators, attribute: attribute)
    }

    private mutating func parseCompound() throws(ExtractError) -> CSSCompoundSelector {
        let start = index
        var compound = CSSCompoundSelector(tag: nil, conditions: [])
        var any = false
        if peek == "*" {
            index += 1
            any = true
            if peek == "|" { throw failure("namespaces (`*|td`) are not supported; drop the prefix", at: index) }
        } else if let scalar = peek, isNameStart(scalar) {
            let start = index
            compound.tag = try parseName().lowercased()
            guard Self.isXPathName(compound.tag ?? "") else {
                throw failure("`\(compound.tag ?? "")` is not a tag name (names start with a letter or `_`)", at: start)
            }
            if peek == "|" { throw failure("namespaces (`ns|td`) are not supported; drop the prefix", at: index) }
        }
        loop: while let scalar = peek {
            switch scalar {
            case "#":
                index += 1
                let name = try parseName()
                guard !name.isEmpty else { throw failure("expected an id after '#'", at: index - 1) }
                compound.conditions.append(.id(name))
            case ".":
                index += 1
                let name = try parseName()
                guard !name.isEmpty else { throw failure("expected a class name after '.'", at: index - 1) }
                compound.conditions.append(.className(name))
            case "[":
                compound.conditions.append(try parseAttribute())
            case ":":
                if peek(1) == ":" { break loop }
                compound.conditions.append(contentsOf: try parsePseudoClass(tag: compound.tag))
            default:
                break loop
            }
        }
        guard any || compound.tag != nil || !compound.conditions.isEmpty else {
            throw atEnd ? failure("expected a selector after this point", at: max(0, start - 1)) : unexpected()
        }
        return compound
    }

    private mutating func parseAttribute() throws(ExtractError) -> CSSCompoundSelector.Condition {
        let open = index
        index += 1
        skipWhitespace()
        let nameStart = index
        let name = try parseName().lowercased()
        guard !name.isEmpty else { throw failure("expected an attribute name after '['", at: index) }
        guard Self.isXPathName(name) else {
            throw failure("`\(name)` is not an attribute name Ferry can query; use xpath= with @*[name()='\(name)']", at: nameStart)
        }
        if peek == "|" && peek(1) != "=" { throw failure("namespaced attributes are not supported", at: index) }
        skipWhitespace()
        if peek == "]" {
            index += 1
            return .attribute(name: name, match: nil)
        }
        let operatorStart = index
        var symbol = ""
        if let first = peek, "~|^$*".unicodeScalars.contains(first) {
            symbol.unicodeScalars.append(first)
            index += 1
        }
        guard peek == "=" else {
            throw failure("expected '=', '~=', '|=', '^=', '$=', '*=' or ']' in the attribute selector opened at column \(open + 1)", at: operatorStart)
        }
        index += 1
        symbol += "="
        guard let op = CSSCompoundSelector.AttributeMatch.Operator(rawValue: symbol) else { throw failure("unknown operator", at: operatorStart) }
        skipWhitespace()
        let value: String
        if peek == "\"" || peek == "'" {
            value = try parseString()
        } else {
            value = try parseName()
            guard !value.isEmpty else { throw failure("expected a value after '\(symbol)' (quote it if it has spaces or symbols)", at: index) }
        }
        skipWhitespace()
        var caseInsensitive = false
        if let flag = peek, flag == "i" || flag == "I" || flag == "s" || flag == "S" {
            caseInsensitive = flag == "i" || flag == "I"
            index += 1
            skipWhitespace()
        }
        guard peek == "]" else { throw failure("expected ']' to close the attribute selector opened at column \(open + 1)", at: index) }
        index += 1
        return .attribute(name: name, match: .init(op: op, value: value, caseInsensitive: caseInsensitive))
    }

    private mutating func parsePseudoClass(tag: String?) throws(ExtractError) -> [CSSCompoundSelector.Condition] {
        let colon = index
        index += 1
        let name = try parseName().lowercased()
        guard !name.isEmpty else { throw failure("expected a pseudo-class name after ':'", at: colon) }
        typealias Nth = CSSCompoundSelector.Nth
        if name.hasSuffix("of-type"), tag == nil {
            throw failure(":\(name) needs a tag name before it, e.g. `td:\(name)`", at: colon)
        }
        switch name {
        case "first-child": return [.nth(Nth(kind: .child, a: 0, b: 1))]
        case "last-child": return [.nth(Nth(kind: .lastChild, a: 0, b: 1))]
        case "only-child": return [.nth(Nth(kind: .child, a: 0, b: 1)), .nth(Nth(kind: .lastChild, a: 0, b: 1))]
        case "first-of-type":
            return [.nth(Nth(kind: .ofType, a: 0, b: 1))]
        case "last-of-type":
            return [.nth(Nth(kind: .lastOfType, a: 0, b: 1))]
        case "only-of-type":
            return [.nth(Nth(kind: .ofType, a: 0, b: 1)), .nth(Nth(kind: .lastOfType, a: 0, b: 1))]
        case "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type":
            let kind: Nth.Kind = switch name {
            case "nth-child": .child
            case "nth-last-child": .lastChild
            case "nth-of-type": .ofType
            default: .lastOfType
            }
            let (argument, column) = try parseParenthesised(after: name, colon: colon)
            guard let (a, b) = Self.parseNth(argument) else {
                throw failure(":\(name)() takes `odd`, `even`, a number or an+b (`2n+1`), not `\(argument)`", at: column)
            }
            return [.nth(Nth(kind: kind, a: a, b: b))]
        case "not":
            guard peek == "(" else { throw failure(":not needs a selector in parentheses, e.g. `:not(.cancelled)`", at: colon) }
            index += 1
            skipWhitespace()
            let inner = try parseCompound()
            skipWhitespace()
            guard peek == ")" else {
                throw failure(":not() takes one compound selector (no combinators or lists); expected ')'", at: index)
            }
            index += 1
            return [.not(inner)]
        default:
            throw failure(
                "unsupported pseudo-class ':\(name)'; Ferry supports :nth-child(), :nth-of-type(), :first-child, :last-child, "
                    + ":only-child, :not() and their -of-type forms; use xpath= for anything else", at: colon)
        }
    }

    /// `::attr(name)`, returning the lower-cased attribute name.
    private mutating func parsePseudoElement() throws(ExtractError) -> String {
        let start = index
        index += 2
        let name = try parseName().lowercased()
        guard name == "attr" else {
            throw failure("unsupported pseudo-element '::\(name)'; only `::attr(name)` is supported", at: start)
        }
        let (argument, column) = try parseParenthesised(after: name, colon: start)
        let attribute = argument.trimmingASCIIWhitespace().lowercased()
        guard Self.isXPathName(attribute) else {
            throw failure("::attr() takes an attribute name, e.g. `a::attr(href)`", at: column)
        }
        return attribute
    }

    /// The text between `(` and the matching `)`, and the 0-based index where it starts.
    private mutating func parseParenthesised(after name: String, colon: Int) throws(ExtractError) -> (String, Int) {
        guard peek == "(" else { throw failure(":\(name) needs an argument in parentheses", at: colon) }
        index += 1
        let start = index
        while let scalar = peek, scalar != ")" { index += 1 }
        guard peek == ")" else { throw failure("expected ')' to close :\(name)(", at: start - 1) }
        var argument = ""
        argument.unicodeScalars.append(contentsOf: scalars[start..<index])
        index += 1
        return (argument, start)
    }

    /// `an+b`, `odd`, `even`, `b` → (a, b).
    static func parseNth(_ text: String) -> (Int, Int)? {
        let compact = String(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "\t" && $0 != "\n" })
        switch compact {
        case "odd": return (2, 1)
        case "even": return (2, 0)
        default: break
        }
        let limit = 1_000_000
        guard let n = compact.firstIndex(of: "n") else {
            guard let b = Int(compact), abs(b) <= limit else { return nil }
            return (0, b)
        }
        let aText = compact[..<n]
        let bText = compact[compact.index(after: n)...]
        let a: Int
        switch aText {
        case "", "+": a = 1
        case "-": a = -1
        default:
            guard let value = Int(aText), abs(value) <= limit else { return nil }
            a = value
        }
        var b = 0
        if !bText.isEmpty {
            guard bText.first == "+" || bText.first == "-", let value = Int(bText), abs(value) <= limit else { return nil }
            b = value
        }
        return (a, b)
    }

    private mutating func parseString() throws(ExtractError) -> String {
        let quote = scalars[index]
        let open = index
        index += 1
        var value = ""
        while let scalar = peek {
            if scalar == quote {
                index += 1
                return value
            }
            if scalar == "\\" {
                value.unicodeScalars.append(try parseEscape())
            } else if scalar == "\n" {
                break
            } else {
                value.unicodeScalars.append(scalar)
                index += 1
            }
        }
        throw failure("unterminated string: the quote opened here never closes", at: open)
    }

    /// A run of name characters (letters, digits, `-`, `_`, non-ASCII, escapes); may be empty.
    private mutating func parseName() throws(ExtractError) -> String {
        var name = ""
        while let scalar = peek {
            if scalar == "\\" {
                name.unicodeScalars.append(try parseEscape())
            } else if isNameScalar(scalar) {
                name.unicodeScalars.append(scalar)
                index += 1
            } else {
                break
            }
        }
        return name
    }

    /// `\` followed by up to six hex digits (and one optional space), or by any other character.
    private mutating func parseEscape() throws(ExtractError) -> Unicode.Scalar {
        let backslash = index
        index += 1
        guard let next = peek else { throw failure("a '\\' must escape a character", at: backslash) }
        var hex = ""
        while hex.count < 6, let scalar = peek, scalar.properties.isASCIIHexDigit {
            hex.unicodeScalars.append(scalar)
            index += 1
        }
        if hex.isEmpty {
            index += 1
            return next
        }
        if peek == " " { index += 1 }
        guard let value = UInt32(hex, radix: 16), value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    /// Whether `name` can stand in an XPath name test as it is (an XML NCName, roughly: a letter or `_`,
    /// then letters, digits, `-`, `_`, `.`).
    static func isXPathName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || (first.value < 0x80 ? first.properties.isAlphabetic : first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "-" || scalar == "_" || scalar == "." || ("0"..."9").contains(scalar)
                || (scalar.properties.isAlphabetic && scalar.value != 0xAA && scalar.value != 0xBA)
                || (scalar.value >= 0x80 && (scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark))
        }
    }

    private func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_" || scalar == "-" || scalar == "\\" || scalar.value >= 0x80
    }

    private func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x80 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || scalar == "-" || scalar == "_"
            || scalar.value >= 0x80
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while let scalar = peek, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" { index += 1 }
        return index > start
    }

    private var atEnd: Bool { index >= scalars.count }
    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    private func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

    private func unexpected() -> ExtractError {
        guard let scalar = peek else { return failure("unexpected end of the selector", at: index) }
        let hint: String = switch scalar {
        case "(", ")": "; parentheses only follow :nth-child, :not and ::attr"
        case "/", "@": "; for XPath, prefix it with xpath="
        case "]": "; there is no '[' for it to close"
        default: ""
        }
        return failure("unexpected '\(scalar)'\(hint)", at: index)
    }

    private func failure(_ message: String, at position: Int) -> ExtractError {
        ExtractError(code: .invalidSelector, subject: source, message: message, column: position + 1)
    }
}
