/// Parses the expression language of `${...}` templates and `if:` conditions.
///
///     value      := primary (('+' | '-') DURATION)? ('|' filter)*
///     primary    := NAME ('.' NAME)* | 'quoted text' | NUMBER | true | false | today | now | '(' condition ')'
///     filter     := NAME ('(' 'text' ')')?
///     comparison := value (('==' | '!=' | '<' | '<=' | '>' | '>=' | contains | matches) value)?
///     condition  := comparison, combined with not, and, or (in that order of binding)
///
/// Parentheses and comparisons belong to conditions; a template only inserts a value.
struct ExpressionParser {
    enum Mode {
        case template
        case condition
    }

    /// How deeply parentheses and `not` may nest, so a hostile file cannot exhaust the stack.
    static let maximumNesting = 32

    private var tokens: [ExpressionLexer.Token]
    private var position = 0
    private let mode: Mode
    private var nesting = 0

    private static let keywords: Set<String> = ["and", "or", "not", "contains", "matches", "true", "false"]

    /// Parses a whole expression; `base` is where `source` starts in the surrounding text.
    static func parse(_ source: Substring, mode: Mode, base: Int = 0) throws(TemplateSyntaxError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(source, startingAt: base), mode: mode)
        guard parser.current.kind != .end else {
            throw TemplateSyntaxError(mode == .template ? "'${}' is empty; name a value, like ${inputs.date}" : "the condition is empty", at: base)
        }
        let expression = mode == .template ? try parser.parseValue() : try parser.parseOr()
        guard parser.current.kind == .end else {
            let token = parser.current
            if mode == .template, token.kind == .symbol || ["and", "or", "contains", "matches"].contains(token.text),
                ["==", "!=", "<", "<=", ">", ">=", "contains", "matches", "and", "or"].contains(token.text)
            {
                throw TemplateSyntaxError("'\(token.text)' belongs in an 'if:' condition; a template only inserts a value", at: token.offset)
            }
            throw TemplateSyntaxError("unexpected '\(token.text)' after the value", at: token.offset)
        }
        return expression
    }

    private init(tokens: [ExpressionLexer.Token], mode: Mode) {
        self.tokens = tokens
        self.mode = mode
    }

    private var current: ExpressionLexer.Token { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol && current.text == symbol }

    private func isKeyword(_ keyword: String) -> Bool { current.kind == .name && current.text == keyword }

    private mutating func enter() throws(TemplateSyntaxError) {
        nesting += 1
        guard nesting <= Self.maximumNesting else {
            throw TemplateSyntaxError("the condition nests deeper than \(Self.maximumNesting) levels; simplify it", at: current.offset)
        }
    }

    // MARK: Conditions

    private mutating func parseOr() throws(TemplateSyntaxError) -> Expression {
        var left = try parseAnd()
        while isKeyword("or") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(TemplateSyntaxError) -> Expression {
        var left = try parseNot()
        while isKeyword("and") {
            advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(TemplateSyntaxError) -> Expression {
        guard isKeyword("not") else { return try parseComparison() }
        advance()
        try enter()
        defer { nesting -= 1 }
        return .not(try parseNot())
    }

    private mutating func parseComparison() throws(TemplateSyntaxError) -> Expression {
        let left = try parseValue()
        let comparison: ComparisonOperator?
        if current.kind == .symbol {
            comparison = ComparisonOperator(rawValue: current.text)
        } else if current.kind == .name, current.text == "contains" || current.text == "matches" {
            comparison = ComparisonOperator(rawValue: current.text)
        } else {
            comparison = nil
        }
        guard let comparison else { return left }
        advance()
        let right = try parseValue()
        if comparison == .matches, case .literal(let pattern) = right, !RegexCheck.compiles(pattern) {
            throw TemplateSyntaxError("'\(pattern)' is not a valid regular expression", at: tokens[position - 1].offset)
        }
        return .comparison(left, comparison, right)
    }

    // MARK: Values

    mutating func parseValue() throws(TemplateSyntaxError) -> Expression {
        var value = try parsePrimary()
        if isSymbol("+") || isSymbol("-") {
            let forward = current.text == "+"
            advance()
            guard case .duration(let duration) = current.kind else {
                throw TemplateSyntaxError("a date moves by a duration, like 'today - 1d'", at: current.offset)
            }
            advance()
            value = .shifted(value, by: duration, forward: forward)
        }
        while isSymbol("|") {
            advance()
            value = .filtered(value, try parseFilter())
        }
        return value
    }

    private mutating func parsePrimary() throws(TemplateSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .text:
            advance()
            return .literal(token.text)
        case .number:
            advance()
            return .literal(token.text)
        case .duration:
            throw TemplateSyntaxError("a duration like '\(token.text)' only follows a date: 'today - \(token.text)'", at: token.offset)
        case .end:
            throw TemplateSyntaxError("a value is missing at the end", at: token.offset)
        case .symbol:
            if token.text == "(", mode == .condition {
                advance()
                try enter()
                defer { nesting -= 1 }
                let inner = try parseOr()
                guard isSymbol(")") else { throw TemplateSyntaxError("'(' is never closed; add ')'", at: token.offset) }
                advance()
                return inner
            }
            throw TemplateSyntaxError("expected a value, found '\(token.text)'", at: token.offset)
        case .name:
            if Self.keywords.contains(token.text) {
                advance()
                switch token.text {
                case "true": return .boolean(true)
                case "false": return .boolean(false)
                default: throw TemplateSyntaxError("expected a value, found '\(token.text)'", at: token.offset)
                }
            }
            advance()
            var path: [String] = []
            while isSymbol(".") {
                advance()
                guard current.kind == .name else {
                    throw TemplateSyntaxError("expected a name after '.'", at: current.offset)
                }
                path.append(current.text)
                advance()
            }
            switch (token.text, path.isEmpty) {
            case ("today", true): return .today
            case ("now", true): return .now
            default: return .reference(Reference(root: token.text, path: path, offset: token.offset))
            }
        }
    }

    private mutating func parseFilter() throws(TemplateSyntaxError) -> TemplateFilter {
        let token = current
        guard token.kind == .name else { throw TemplateSyntaxError("expected a filter name after '|'", at: token.offset) }
        advance()
        guard let known = TemplateFilter.names.first(where: { $0.name == token.text }) else {
            throw TemplateSyntaxError(
                "unknown filter '\(token.text)'" + Suggestion.didYouMean(token.text, in: TemplateFilter.names.map(\.name))
                    + " (filters: \(TemplateFilter.names.map(\.name).joined(separator: ", ")))",
                at: token.offset)
        }
        var argument: String?
        if isSymbol("(") {
            advance()
            guard current.kind == .text || current.kind == .number else {
                throw TemplateSyntaxError("'\(known.name)' takes one quoted text, like \(known.name)('...')", at: current.offset)
            }
            argument = current.text
            advance()
            guard isSymbol(")") else { throw TemplateSyntaxError("expected ')' after the filter's argument", at: current.offset) }
            advance()
        }
        switch (known.name, argument) {
        case ("upper", nil): return .upper
        case ("lower", nil): return .lower
        case ("trim", nil): return .trim
        case ("urlencode", nil): return .urlencode
        case ("count", nil): return .count
        case ("date", let pattern?): return .date(pattern)
        case ("default", let text?): return .default(text)
        case (let name, nil): throw TemplateSyntaxError("'\(name)' needs an argument, like \(name)('...')", at: token.offset)
        case (let name, _?): throw TemplateSyntaxError("'\(name)' takes no argument", at: token.offset)
        }
    }
}
