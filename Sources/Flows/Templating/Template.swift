import Foundation

/// Text with `${...}` expressions, parsed when the flow is loaded and rendered when a step runs.
///
///     goto: "${inputs.clinic}/appointments?date=${inputs.date}"
///     key: "${row.appointment_id}"
///     save_as: "billing-${inputs.date | date('yyyyMMdd')}.xml"
///
/// Write `$${` for a literal `${`. Parsing at load time means a typo fails validation, not the run
/// at 6 a.m.; rendering keeps the secret mark of every value that went in (see ``RenderedValue``).
public struct Template: Hashable, Sendable, CustomStringConvertible {
    public enum Part: Hashable, Sendable {
        case text(String)
        /// An expression, its text as written and where that text starts in the template.
        case expression(Expression, source: String, offset: Int)
    }

    /// The template as written.
    public let source: String
    public let parts: [Part]
    /// Where the template's text starts, when it came from a file.
    public var location: SourceLocation?
    /// Whether ``location`` plus a character offset is exact (a one-line value without escapes).
    var columnsAreExact = false

    /// Parses a template; throws with the offset of the first problem.
    public init(parsing source: String, location: SourceLocation? = nil) throws(TemplateSyntaxError) {
        self.source = source
        self.location = location
        let characters = Array(source)
        var parts: [Part] = []
        var text = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "$", index + 2 < characters.count, characters[index + 1] == "$", characters[index + 2] == "{" {
                text += "${"
                index += 3
            } else if characters[index] == "$", index + 1 < characters.count, characters[index + 1] == "{" {
                guard let end = Self.closingBrace(in: characters, from: index + 2) else {
                    throw TemplateSyntaxError("'${' is never closed; add '}'", at: index)
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                let inner = String(characters[(index + 2)..<end])
                let expression = try ExpressionParser.parse(Substring(inner), mode: .template, base: index + 2)
                parts.append(.expression(expression, source: inner.trimmingCharacters(in: .whitespaces), offset: index + 2))
                index = end + 1
            } else {
                text.append(characters[index])
                index += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// A template with no expressions.
    public init(literal: String, location: SourceLocation? = nil) {
        self.source = literal
        self.parts = literal.isEmpty ? [] : [.text(literal)]
        self.location = location
    }

    private static func closingBrace(in characters: [Character], from start: Int) -> Int? {
        var quote: Character?
        var index = start
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == "\\" { index += 1 } else if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "}" {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Whether the template is plain text.
    public var isLiteral: Bool { !parts.contains { if case .expression = $0 { true } else { false } } }

    /// The text, when the template has no expressions.
    public var literalText: String? {
        guard isLiteral else { return nil }
        return parts.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }

    /// Every reference inside, with offsets into ``source``.
    public var references: [Reference] {
        parts.flatMap { part -> [Reference] in
            if case .expression(let expression, _, _) = part { return expression.references }
            return []
        }
    }

    /// The expressions inside.
    var expressions: [Expression] {
        parts.compactMap { if case .expression(let expression, _, _) = $0 { expression } else { nil } }
    }

    /// Renders the template; the result is secret when any value that went in was.
    public func render(in context: TemplateContext) throws(TemplateError) -> RenderedValue {
        var text = ""
        var isSecret = false
        for part in parts {
            switch part {
            case .text(let literal):
                text += literal
            case .expression(let expression, _, _):
                let value = try ExpressionEvaluator(context: context, source: source, location: location).evaluate(expression)
                guard let rendered = value.text else {
                    throw TemplateError(
                        "a list of records cannot be written as text; use '| count' for how many", source: source, location: location)
                }
                text += rendered
                isSecret = isSecret || value.isSecret
            }
        }
        return RenderedValue(text: text, isSecret: isSecret)
    }

    /// Where character `offset` of the template is, as exactly as can be told.
    func location(ofOffset offset: Int) -> SourceLocation? {
        columnsAreExact ? location?.advanced(by: offset) : location
    }

    public var description: String { source }
}
