import Yams

/// Reads YAML text into a ``YAMLNode`` tree with positions, after ``YAMLGate`` has made that safe.
enum YAMLReader {
    /// The tree of a text, or the problems that stop it being read. Nil and no problems: no document.
    static func read(_ bytes: [UInt8], file: String, limits: LoadLimits) -> (root: YAMLNode?, diagnostics: [FlowDiagnostic]) {
        let start = SourceLocation(file: file, line: 1, column: 1)
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let offset = firstInvalidUTF8(bytes) {
            let position = TextPosition.of(byteOffset: offset, in: bytes)
            return (nil, [FlowDiagnostic(
                .error, .notText, at: SourceLocation(file: file, line: position.line, column: position.column),
                "the file is not UTF-8 text (byte \(offset + 1)); save it as UTF-8, or check it is a flow file")])
        }
        let gate = YAMLGate.check(bytes, file: file, limits: limits)
        guard gate.isEmpty else { return (nil, gate) }

        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let node = try Parser(yaml: text, resolver: .basic).singleRoot() else { return (nil, []) }
            return (convert(node, file: file), [])
        } catch let error as YamlError {
            return (nil, [diagnostic(for: error, file: file)])
        } catch {
            return (nil, [FlowDiagnostic(.error, .yamlSyntax, at: start, "invalid YAML: \(error)")])
        }
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: max(1, mark?.line ?? 1), column: max(1, mark?.column ?? 1))
    }

    /// Converts Yams' tree; depth is bounded by the gate.
    private static func convert(_ node: Node, file: String) -> YAMLNode {
        switch node {
        case .scalar(let scalar):
            return .scalar(convert(scalar, file: file))
        case .mapping(let mapping):
            let entries = mapping.map { pair -> YAMLMapping.Entry in
                let key = pair.key.scalar.map { convert($0, file: file) }
                    ?? YAMLScalar(value: "", style: .plain, location: location(pair.key.mark, file: file))
                return YAMLMapping.Entry(key: key, value: convert(pair.value, file: file))
            }
            return .mapping(YAMLMapping(entries: entries, location: location(mapping.mark, file: file)))
        case .sequence(let sequence):
            return .sequence(YAMLSequence(items: sequence.map { convert($0, file: file) }, location: location(sequence.mark, file: file)))
        case .alias(let alias):
            // The gate refuses aliases; Yams dereferences them anyway. Keep a harmless empty value.
            return .scalar(YAMLScalar(value: "", style: .plain, location: location(alias.mark, file: file)))
        }
    }

    private static func convert(_ scalar: Node.Scalar, file: String) -> YAMLScalar {
        let style: YAMLScalar.Style
        switch scalar.style {
        case .singleQuoted: style = .singleQuoted
        case .doubleQuoted: style = .doubleQuoted
        case .literal, .folded: style = .block
        case .plain, .any: style = .plain
        }
        return YAMLScalar(value: scalar.string, style: style, location: location(scalar.mark, file: file))
    }

    private static func diagnostic(for error: YamlError, file: String) -> FlowDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return FlowDiagnostic(.error, .yamlSyntax, at: location(mark, file: file), "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FlowDiagnostic(.error, .duplicateKey, at: location(context.mark, file: file), "duplicate keys \(duplicates.quotedList(conjunction: "and")); keep one of each")
        default:
            return FlowDiagnostic(.error, .yamlSyntax, at: SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }
}
