/// How `expect` and `wait` judge a text: exactly, by a part, or by a regular expression.
public enum TextMatcher: Hashable, Sendable {
    case equals(Template)
    case contains(Template)
    /// The text matches the pattern somewhere; its groups can be captured.
    case matches(Pattern)

    /// The keys a flow writes, in the order they are listed in messages.
    static let keys = ["equals", "contains", "matches"]
}
