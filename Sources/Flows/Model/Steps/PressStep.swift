import WebDriver

/// `press: Enter` or `press: { key: Tab, in: login.user }`: press a key, in the focused element or in one.
public struct PressStep: Hashable, Sendable {
    /// The key's name as written (`Enter`, `Tab`, `ArrowDown`) or a single character.
    public var key: String
    /// The element to press it in; nil for whatever has focus.
    public var field: SelectorReference?

    public init(key: String, field: SelectorReference? = nil) {
        self.key = key
        self.field = field
    }

    /// What WebDriver sends: the key's code point, or the character itself.
    public var keyText: String { Key.named[key] ?? key }

    /// The names `press` accepts besides single characters.
    public static var keyNames: [String] { Key.named.keys.sorted() }
}
