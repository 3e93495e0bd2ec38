/// A YAML node with the place it was written: the loader's own tree, between Yams and the flow model.
///
/// Scalars stay text; what `true`, `3` or `10s` mean is decided by the field they are in, so YAML 1.1
/// surprises (`NO` read as false, `2024-05-01` as a timestamp) cannot happen.
enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    var location: SourceLocation {
        switch self {
        case .scalar(let scalar): scalar.location
        case .mapping(let mapping): mapping.location
        case .sequence(let sequence): sequence.location
        }
    }

    /// `text`, `a mapping` or `a list`, for messages.
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "nothing" : "text"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// Whether this is an empty value (`key:` with nothing after it, `~`, `null`).
    var isNull: Bool { scalar?.isNull ?? false }
}

struct YAMLScalar: Sendable {
    enum Style: Sendable {
        case plain
        case singleQuoted
        case doubleQuoted
        /// `|` or `>`: the location is the indicator, the text starts on the next line.
        case block
    }

    var value: String
    var style: Style
    var location: SourceLocation

    /// A plain `~`, `null` or nothing at all.
    var isNull: Bool { style == .plain && ["", "~", "null", "Null", "NULL"].contains(value) }

    /// Where character `offset` of the value is, when that can be told exactly (a one-line scalar
    /// without escapes before it); the scalar's own location otherwise.
    func location(ofCharacter offset: Int) -> SourceLocation {
        let prefix = value.prefix(offset)
        guard !prefix.contains(where: \.isNewline) else { return location }
        switch style {
        case .plain: return location.advanced(by: prefix.unicodeScalars.count)
        case .singleQuoted: return prefix.contains("'") ? location : location.advanced(by: 1 + prefix.unicodeScalars.count)
        case .doubleQuoted:
            return prefix.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\t" }) ? location : location.advanced(by: 1 + prefix.unicodeScalars.count)
        case .block: return location
        }
    }
}

struct YAMLMapping: Sendable {
    struct Entry: Sendable {
        var key: YAMLScalar
        var value: YAMLNode
    }

    var entries: [Entry]
    var location: SourceLocation

    subscript(key: String) -> YAMLNode? { entries.first { $0.key.value == key }?.value }

    func entry(_ key: String) -> Entry? { entries.first { $0.key.value == key } }
}

struct YAMLSequence: Sendable {
    var items: [YAMLNode]
    var location: SourceLocation
}
