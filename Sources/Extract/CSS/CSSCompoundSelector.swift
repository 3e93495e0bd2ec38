/// A run of simple selectors with no combinator between them: `td.amount[data-x]:nth-child(2)`.
struct CSSCompoundSelector: Hashable {
    /// A condition the element must meet besides its tag name.
    enum Condition: Hashable {
        case id(String)
        case className(String)
        case attribute(name: String, match: AttributeMatch?)
        case nth(Nth)
        case not(CSSCompoundSelector)
    }

    /// `[name op value i]`.
    struct AttributeMatch: Hashable {
        enum Operator: String, Hashable {
            case equals = "="
            case includesWord = "~="
            case dashPrefix = "|="
            case prefix = "^="
            case suffix = "$="
            case substring = "*="
        }

        var op: Operator
        var value: String
        /// The `i` flag: compare ASCII letters case-insensitively.
        var caseInsensitive: Bool
    }

    /// `:nth-child(an+b)` and its relatives: the element is at position a·n+b (n = 0, 1, 2, ...),
    /// counting 1-based among its element siblings (or those of its own type), from the start or the end.
    struct Nth: Hashable {
        enum Kind: Hashable {
            case child, lastChild, ofType, lastOfType
        }

        var kind: Kind
        var a: Int
        var b: Int

        var fromEnd: Bool { kind == .lastChild || kind == .lastOfType }
        var ofType: Bool { kind == .ofType || kind == .lastOfType }
    }

    /// The lower-cased tag name, or `nil` for `*` (any element).
    var tag: String?
    var conditions: [Condition]
}
