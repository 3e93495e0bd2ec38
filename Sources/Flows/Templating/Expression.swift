/// A parsed `${...}` expression or `if:` condition.
///
/// Templates hold values: a reference, a quoted text, `today` or `now`, moved by a duration
/// (`today - 1d`) and passed through filters (`| urlencode`). Conditions add comparisons
/// (`==`, `!=`, `<`, `<=`, `>`, `>=`, `contains`, `matches`) and `and`, `or`, `not`, parentheses.
public indirect enum Expression: Hashable, Sendable {
    case reference(Reference)
    /// Quoted text or a number, kept as written.
    case literal(String)
    case boolean(Bool)
    /// The run's local date, `yyyy-MM-dd`.
    case today
    /// The current time, ISO 8601.
    case now
    /// A date or time moved forward (`+`) or back (`-`).
    case shifted(Expression, by: FlowDuration, forward: Bool)
    case filtered(Expression, TemplateFilter)
    case comparison(Expression, ComparisonOperator, Expression)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)

    /// Every reference inside, in the order written.
    public var references: [Reference] {
        switch self {
        case .reference(let reference): [reference]
        case .literal, .boolean, .today, .now: []
        case .shifted(let inner, _, _), .filtered(let inner, _), .not(let inner): inner.references
        case .comparison(let left, _, let right), .and(let left, let right), .or(let left, let right):
            left.references + right.references
        }
    }

    /// Every filter inside.
    var filters: [TemplateFilter] {
        switch self {
        case .reference, .literal, .boolean, .today, .now: []
        case .filtered(let inner, let filter): inner.filters + [filter]
        case .shifted(let inner, _, _), .not(let inner): inner.filters
        case .comparison(let left, _, let right), .and(let left, let right), .or(let left, let right):
            left.filters + right.filters
        }
    }
}

/// How a condition compares two values.
public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// The left text contains the right text.
    case contains
    /// The left text matches the right regular expression.
    case matches
}
