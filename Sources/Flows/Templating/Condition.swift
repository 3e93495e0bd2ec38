import Foundation

/// An `if:` or `where:` condition, parsed when the flow is loaded.
///
///     if: inputs.mode == 'bulk'
///     if: not vars.existing
///     where: row.status == 'Completed' and row.amount != ''
///
/// A value alone is true unless it is empty, `false`, `0` or `no` (records: unless there are none).
/// Conditions are written without `${...}`; one wrapped whole in `${...}` is accepted too.
public struct Condition: Hashable, Sendable, CustomStringConvertible {
    /// The condition as written.
    public let source: String
    public let expression: Expression
    public var location: SourceLocation?
    /// Whether ``location`` plus a character offset is exact (a one-line value without escapes).
    var columnsAreExact = false

    /// Parses a condition; throws with the offset of the first problem.
    public init(parsing source: String, location: SourceLocation? = nil) throws(TemplateSyntaxError) {
        self.source = source
        self.location = location
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        let leading = source.prefix { $0 == " " || $0 == "\t" }.count
        if trimmed.hasPrefix("${"), trimmed.hasSuffix("}"), trimmed.dropFirst(2).firstIndex(of: "}") == trimmed.index(before: trimmed.endIndex) {
            self.expression = try ExpressionParser.parse(trimmed.dropFirst(2).dropLast(), mode: .condition, base: leading + 2)
        } else if let range = source.range(of: "${") {
            throw TemplateSyntaxError(
                "write conditions without '${...}', like: inputs.mode == 'bulk'", at: source.distance(from: source.startIndex, to: range.lowerBound))
        } else {
            self.expression = try ExpressionParser.parse(Substring(source), mode: .condition)
        }
    }

    public var references: [Reference] { expression.references }

    /// Whether the condition holds.
    public func evaluate(in context: TemplateContext) throws(TemplateError) -> Bool {
        let value = try ExpressionEvaluator(context: context, source: source, location: location).evaluate(expression)
        return ExpressionEvaluator.truth(of: value)
    }

    /// Where character `offset` of the condition is, as exactly as can be told.
    func location(ofOffset offset: Int) -> SourceLocation? {
        columnsAreExact ? location?.advanced(by: offset) : location
    }

    public var description: String { source }
}
