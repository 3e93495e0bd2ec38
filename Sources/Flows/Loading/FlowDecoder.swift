import Foundation

/// Turns a ``YAMLNode`` tree into the flow model, collecting every problem instead of stopping at the
/// first, so one `ferry validate` shows a maintainer everything to fix.
///
/// Decoding is shape and local meaning: keys, types, names, durations, template and condition syntax.
/// What needs the whole flow (selector keys defined, variables set before use, files saved before they
/// are read) is ``FlowValidator``'s.
final class FlowDecoder {
    let file: String
    private(set) var diagnostics: [FlowDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Reporting

    func error(_ code: DiagnosticCode, at location: SourceLocation, _ message: String) {
        diagnostics.append(FlowDiagnostic(.error, code, at: location, message))
    }

    func warning(_ code: DiagnosticCode, at location: SourceLocation, _ message: String) {
        diagnostics.append(FlowDiagnostic(.warning, code, at: location, message))
    }

    /// Reports the keys of a mapping that were never taken.
    func finish(_ fields: MappingFields) {
        for entry in fields.unknownEntries {
            let key = entry.key.value
            if let suggestion = Suggestion.closest(to: key, in: fields.allowed) {
                error(.unknownKey, at: entry.key.location, "unknown key '\(key)' in \(fields.what); did you mean '\(suggestion)'?")
            } else {
                let allowed = Array(Set(fields.allowed)).sorted().joined(separator: ", ")
                error(.unknownKey, at: entry.key.location, "unknown key '\(key)' in \(fields.what) (allowed: \(allowed))")
            }
        }
    }

    // MARK: Shapes

    func mapping(_ node: YAMLNode, _ what: String) -> YAMLMapping? {
        if case .mapping(let mapping) = node { return mapping }
        error(.wrongType, at: node.location, "\(what) must be a mapping (key: value lines), found \(node.kindDescription)")
        return nil
    }

    func sequence(_ node: YAMLNode, _ what: String) -> YAMLSequence? {
        if case .sequence(let sequence) = node { return sequence }
        error(.wrongType, at: node.location, "\(what) must be a list, found \(node.kindDescription)")
        return nil
    }

    /// A scalar's text; empty text only when `allowEmpty` and written as `""`.
    func text(_ node: YAMLNode, _ what: String, allowEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            error(.wrongType, at: node.location, "\(what) must be text, found \(node.kindDescription)")
            return nil
        }
        guard !scalar.isNull, allowEmpty || !scalar.value.trimmingCharacters(in: .whitespaces).isEmpty else {
            error(.invalidValue, at: scalar.location, "\(what) is empty")
            return nil
        }
        return scalar.value
    }

    /// A required key's value, reporting it missing.
    func required(_ fields: inout MappingFields, _ key: String) -> YAMLNode? {
        guard let node = fields.take(key) else {
            error(.missingKey, at: fields.mapping.location, "\(fields.what) needs '\(key)'")
            return nil
        }
        return node
    }

    /// `true` or `false`, written plainly.
    func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.value {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        let found = node.scalar.map { "'\($0.value)'" } ?? node.kindDescription
        error(.wrongType, at: node.location, "\(what) must be true or false, found \(found)")
        return nil
    }

    /// A whole number in a range, written plainly.
    func integer(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.value) else {
            let found = node.scalar.map { "'\($0.value)'" } ?? node.kindDescription
            error(.wrongType, at: node.location, "\(what) must be a whole number, found \(found)")
            return nil
        }
        guard range.contains(value) else {
            error(.invalidValue, at: node.location, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    /// The longest duration a flow may write: a day.
    static let maximumDuration = FlowDuration(milliseconds: 86_400_000)

    func duration(_ node: YAMLNode, _ what: String) -> FlowDuration? {
        guard let text = text(node, what) else { return nil }
        guard let duration = FlowDuration(parsing: text) else {
            error(.invalidDuration, at: node.location, "'\(text)' is not a duration; \(FlowDuration.formatHint)")
            return nil
        }
        guard duration.milliseconds > 0, duration <= Self.maximumDuration else {
            error(.invalidDuration, at: node.location, "\(what) must be more than 0s and at most 1d, found \(text)")
            return nil
        }
        return duration
    }

    /// One of an enumeration's raw values, with a "did you mean".
    func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _: T.Type) -> T? where T.RawValue == String {
        guard let text = text(node, what) else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        let hint = Suggestion.closest(to: text, in: names).map { "did you mean '\($0)'?" } ?? "use \(names.quotedList())"
        error(.invalidValue, at: node.location, "\(what) cannot be '\(text)'; \(hint)")
        return nil
    }

    // MARK: Names

    enum NameStyle {
        /// `clinic-daily-sync`.
        case kebab
        /// `download_appointments`.
        case snake

        var example: String { self == .kebab ? "clinic-daily-sync" : "download_appointments" }

        func accepts(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 64 else { return false }
            let separator: Unicode.Scalar = self == .kebab ? "-" : "_"
            let scalars = Array(name.unicodeScalars)
            for (index, scalar) in scalars.enumerated() {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { continue }
                guard scalar == separator, index + 1 < scalars.count, scalars[index + 1] != separator else { return false }
            }
            return true
        }
    }

    func name(_ node: YAMLNode, _ what: String, style: NameStyle) -> String? {
        guard let text = text(node, what) else { return nil }
        return checkedName(text, what, style: style, at: node.location)
    }

    func checkedName(_ text: String, _ what: String, style: NameStyle, at location: SourceLocation) -> String? {
        guard style.accepts(text) else {
            let kind = style == .kebab ? "lowercase words joined by '-'" : "lowercase words joined by '_'"
            error(.invalidName, at: location, "\(what) '\(text)' must be \(kind), like '\(style.example)'")
            return nil
        }
        return text
    }

    /// A variable's name: snake_case and not one of the scopes' names.
    func variableName(_ node: YAMLNode, _ what: String) -> String? {
        guard let name = name(node, what, style: .snake) else { return nil }
        guard !ReferenceScope.reservedNames.contains(name) else {
            error(.invalidName, at: node.location, "\(what) cannot be '\(name)': templates use that name for \(ReferenceScope.meaning(of: name)); pick another")
            return nil
        }
        return name
    }

    func variableNames(_ node: YAMLNode, _ what: String) -> [String]? {
        if case .sequence(let list) = node {
            let names = list.items.compactMap { variableName($0, what) }
            return names.count == list.items.count ? names : nil
        }
        return variableName(node, what).map { [$0] }
    }

    // MARK: Templates, conditions, patterns, selectors

    func template(_ node: YAMLNode, _ what: String, allowEmpty: Bool = false) -> Template? {
        guard let text = text(node, what, allowEmpty: allowEmpty), let scalar = node.scalar else { return nil }
        do {
            var template = try Template(parsing: text, location: scalar.location(ofCharacter: 0))
            template.columnsAreExact = scalar.location(ofCharacter: text.count) != scalar.location || text.isEmpty
            return template
        } catch {
            self.error(.invalidTemplate, at: scalar.location(ofCharacter: error.offset), error.message)
            return nil
        }
    }

    func condition(_ node: YAMLNode, _ what: String) -> Condition? {
        guard let text = text(node, what), let scalar = node.scalar else { return nil }
        do {
            var condition = try Condition(parsing: text, location: scalar.location(ofCharacter: 0))
            condition.columnsAreExact = scalar.location(ofCharacter: text.count) != scalar.location
            return condition
        } catch {
            self.error(.invalidCondition, at: scalar.location(ofCharacter: error.offset), error.message)
            return nil
        }
    }

    func pattern(_ node: YAMLNode, _ what: String) -> Pattern? {
        guard let text = text(node, what) else { return nil }
        guard let groups = RegexCheck.captureGroups(text) else {
            error(.invalidPattern, at: node.location, "'\(text)' is not a valid regular expression")
            return nil
        }
        return Pattern(source: text, captureGroups: groups, location: node.location)
    }

    func selector(_ node: YAMLNode, _ what: String) -> SelectorReference? {
        guard let key = text(node, what) else { return nil }
        return SelectorReference(key: key, location: node.location)
    }
}
