import Foundation
@testable import Flows

/// Turns a YAML file into the JSON instance a JSON Schema validator checks, typing plain scalars the
/// way YAML 1.2's core schema (and so VS Code's YAML extension) does: true/false, null, numbers, text.
enum YAMLToJSON {
    /// The JSON text of a file, or nil when it is not YAML the loader reads (aliases, syntax errors, ...).
    static func json(ofFile path: String) -> String? {
        guard let bytes = FileManager.default.contents(atPath: path) else { return nil }
        let (root, diagnostics) = YAMLReader.read([UInt8](bytes), file: path, limits: .standard)
        guard let root, diagnostics.isEmpty else { return nil }
        return json(root)
    }

    static func json(_ node: YAMLNode) -> String {
        switch node {
        case .mapping(let mapping):
            return "{" + mapping.entries.map { SchemaJSON.quote($0.key.value) + ": " + json($0.value) }.joined(separator: ", ") + "}"
        case .sequence(let sequence):
            return "[" + sequence.items.map(json).joined(separator: ", ") + "]"
        case .scalar(let scalar):
            guard scalar.style == .plain else { return SchemaJSON.quote(scalar.value) }
            if scalar.isNull { return "null" }
            if scalar.value == "true" || scalar.value == "false" { return scalar.value }
            if scalar.value.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil {
                return scalar.value
            }
            return SchemaJSON.quote(scalar.value)
        }
    }
}
