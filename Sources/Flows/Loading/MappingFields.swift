/// The keys of one YAML mapping as the decoder takes them, so what was never taken is reported as
/// unknown, with a "did you mean" among the keys that were.
struct MappingFields {
    let mapping: YAMLMapping
    /// How messages name the mapping: "a stage", "'fill'".
    let what: String
    private(set) var allowed: [String] = []

    init(_ mapping: YAMLMapping, what: String) {
        self.mapping = mapping
        self.what = what
    }

    /// The value of a key, and notes the key as allowed.
    mutating func take(_ key: String) -> YAMLNode? {
        allowed.append(key)
        return mapping[key]
    }

    /// Notes keys as allowed without reading them.
    mutating func allow(_ keys: [String]) {
        allowed += keys
    }

    func has(_ key: String) -> Bool { mapping[key] != nil }

    func keyLocation(_ key: String) -> SourceLocation? { mapping.entry(key)?.key.location }

    /// The keys present that were never taken or allowed.
    var unknownEntries: [YAMLMapping.Entry] {
        let known = Set(allowed)
        return mapping.entries.filter { !known.contains($0.key.value) }
    }
}
