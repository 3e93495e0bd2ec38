/// The `selectors:` map: every way the flow finds an element, by dotted key.
///
/// Keys may be written dotted (`login.user: "#username"`) or grouped (`login: { user: "#username" }`);
/// both give the key `login.user`. Order is kept as written.
public struct SelectorMap: Hashable, Sendable {
    public private(set) var definitions: [SelectorDefinition] = []
    private var index: [String: Int] = [:]

    public init(_ definitions: [SelectorDefinition] = []) {
        for definition in definitions { add(definition) }
    }

    /// The definition for a key, if there is one.
    public subscript(key: String) -> SelectorDefinition? {
        index[key].map { definitions[$0] }
    }

    public var keys: [String] { definitions.map(\.key) }

    public var isEmpty: Bool { definitions.isEmpty }

    /// Adds a definition; returns the existing one instead when the key is taken.
    @discardableResult
    mutating func add(_ definition: SelectorDefinition) -> SelectorDefinition? {
        if let existing = self[definition.key] { return existing }
        index[definition.key] = definitions.count
        definitions.append(definition)
        return nil
    }
}
