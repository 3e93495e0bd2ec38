/// A transformation after a value in `${...}`: `${inputs.date | date('dd.MM.yyyy')}`.
public enum TemplateFilter: Hashable, Sendable, CustomStringConvertible {
    /// Upper case.
    case upper
    /// Lower case.
    case lower
    /// Without leading and trailing white space.
    case trim
    /// Percent-encoded for a URL query value.
    case urlencode
    /// The number of records in a list of records, as text.
    case count
    /// A `yyyy-MM-dd` date or ISO timestamp re-written in another pattern (`dd.MM.yyyy`, `yyyyMMdd`).
    case date(String)
    /// The value, or this text when the value is empty or missing.
    case `default`(String)

    /// Every filter name, with whether it takes an argument.
    static let names: [(name: String, takesArgument: Bool)] = [
        ("count", false), ("date", true), ("default", true), ("lower", false), ("trim", false),
        ("upper", false), ("urlencode", false),
    ]

    public var description: String {
        switch self {
        case .upper: "upper"
        case .lower: "lower"
        case .trim: "trim"
        case .urlencode: "urlencode"
        case .count: "count"
        case .date(let pattern): "date('\(pattern)')"
        case .default(let text): "default('\(text)')"
        }
    }
}
