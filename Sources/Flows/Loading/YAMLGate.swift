// CYaml is the libyaml that Yams bundles and builds. Yams offers no event-level API, and composing a
// hostile document with it first is unsafe (see below), so this pre-flight check walks libyaml's events
// directly: no recursion, nothing expanded, nothing kept but a stack of open collections.
internal import CYaml

/// Checks a YAML text before it is composed into a tree, so composing cannot crash or hang.
///
/// Yams composes recursively (a 100 000-deep `[[[[...` overflows the stack) and hashes every mapping
/// key to find duplicates (a key that is an alias of a "billion laughs" node hashes 10⁹ nodes). This
/// check refuses, with the position of each:
/// - syntax errors (libyaml's own message, with a hint for the usual causes),
/// - aliases (`*name`) and explicit tags (`!name`): flows share with `include:`, not YAML references,
/// - keys that are lists or mappings, and duplicate keys,
/// - more than one document, nesting beyond ``LoadLimits/maximumDepth`` and more than
///   ``LoadLimits/maximumNodes`` nodes.
enum YAMLGate {
    /// How many problems one file reports before the rest are left for the next run.
    static let maximumDiagnostics = 100

    private struct Frame {
        var isMapping: Bool
        var expectingKey = true
        var keys: [String: Int] = [:]
    }

    static func check(_ bytes: [UInt8], file: String, limits: LoadLimits) -> [FlowDiagnostic] {
        guard !bytes.isEmpty else { return [] }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return [FlowDiagnostic(.error, .unreadableFile, at: SourceLocation(file: file, line: 1, column: 1), "libyaml could not start (out of memory)")]
        }
        defer { yaml_parser_delete(&parser) }

        var diagnostics: [FlowDiagnostic] = []
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var stack: [Frame] = []
            var documents = 0
            var nodes = 0
            var aliases = 0
            var firstAlias: Int?

            func location(_ mark: yaml_mark_t) -> SourceLocation {
                SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            }
            func report(_ code: DiagnosticCode, _ mark: yaml_mark_t, _ message: String) {
                diagnostics.append(FlowDiagnostic(.error, code, at: location(mark), message))
            }
            /// Counts a node and tells whether it is a mapping key.
            func beginNode(_ event: yaml_event_t) -> Bool {
                nodes += 1
                guard let top = stack.indices.last, stack[top].isMapping else { return false }
                let isKey = stack[top].expectingKey
                stack[top].expectingKey.toggle()
                return isKey
            }

            loop: while diagnostics.count < maximumDiagnostics {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    diagnostics.append(syntaxError(parser, bytes: buffer, file: file, limits: limits))
                    break
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    break loop
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        report(.multipleDocuments, event.start_mark, "a flow file holds one YAML document; remove this '---' and what follows, or move it to its own file")
                        break loop
                    }
                case YAML_ALIAS_EVENT:
                    _ = beginNode(event)
                    aliases += 1
                    // One report for the first alias: a "billion laughs" file would otherwise fill the screen.
                    if firstAlias == nil {
                        firstAlias = diagnostics.count
                        let name = text(event.data.alias.anchor) ?? ""
                        report(.yamlAlias, event.start_mark, "YAML aliases ('*\(name)') are not supported in flows; share stages with 'include:' and write the value out here")
                    }
                case YAML_SCALAR_EVENT:
                    let isKey = beginNode(event)
                    if event.data.scalar.tag != nil {
                        report(.yamlTag, event.start_mark, "YAML tags ('\(text(event.data.scalar.tag) ?? "!")') are not supported in flows; remove it (quote the value to keep it text)")
                    }
                    if isKey, let top = stack.indices.last {
                        let key = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
                        if let first = stack[top].keys[key] {
                            report(.duplicateKey, event.start_mark, "'\(key)' is already set at line \(first) of this mapping; keep one")
                        } else {
                            stack[top].keys[key] = Int(event.start_mark.line) + 1
                        }
                    }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    if beginNode(event) {
                        report(.complexKey, event.start_mark, "a key must be text, not a \(isMapping ? "mapping" : "list")")
                    }
                    let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
                    if tag != nil {
                        report(.yamlTag, event.start_mark, "YAML tags ('\(text(tag) ?? "!")') are not supported in flows; remove it")
                    }
                    stack.append(Frame(isMapping: isMapping))
                    if stack.count > limits.maximumDepth {
                        report(.nestingTooDeep, event.start_mark, "lists and mappings nest deeper than \(limits.maximumDepth) levels here; a flow never needs that many")
                        break loop
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    _ = stack.popLast()
                default:
                    break
                }
                if nodes > limits.maximumNodes {
                    report(.tooManyNodes, event.start_mark, "the file holds more than \(limits.maximumNodes) YAML values; split the flow with 'include:'")
                    break
                }
            }
            if let firstAlias, aliases > 1 {
                diagnostics[firstAlias].message += " (\(aliases) aliases in this file)"
            }
        }
        return diagnostics
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        var value = String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        // libyaml expands '!!int' to its full name; show it as written.
        if value.hasPrefix("tag:yaml.org,2002:") { value = "!!" + value.dropFirst("tag:yaml.org,2002:".count) }
        return value.count > 60 ? String(value.prefix(60)) + "…" : value
    }

    private static func syntaxError(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, file: String, limits: LoadLimits) -> FlowDiagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            let position = TextPosition.of(byteOffset: Int(parser.problem_offset), in: bytes)
            return FlowDiagnostic(
                .error, .notText, at: SourceLocation(file: file, line: position.line, column: position.column),
                "the file is not plain text here (\(problem)); is it a flow file?")
        }
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml's own cap, met by its scanner's look-ahead before this check sees the events.
            return FlowDiagnostic(
                .error, .nestingTooDeep, at: SourceLocation(file: file, line: Int(parser.mark.line) + 1, column: Int(parser.mark.column) + 1),
                "lists and mappings nest deeper than \(limits.maximumDepth) levels here; a flow never needs that many")
        }
        let mark = parser.problem_mark
        var location = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        var message = "invalid YAML: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextLine = Int(parser.context_mark.line) + 1
            message += contextLine == location.line ? " (\(context))" : " (\(context) at line \(contextLine))"
        }
        let character = TextPosition.character(atLine: location.line, column: location.column, in: bytes)
        switch problem {
        case _ where character == "\t" || problem.contains("tab"):
            message = "invalid YAML: tabs are not allowed for indentation; indent with spaces"
        case "mapping values are not allowed in this context":
            message += "; a value containing ': ' needs quotes"
        case "did not find expected key", "did not find expected '-' indicator":
            message += "; check this line's indentation"
        case "found character that cannot start any token":
            if let character { message += " ('\(character)'); quote the value" }
        default:
            break
        }
        if location.line < 1 { location.line = 1 }
        return FlowDiagnostic(.error, .yamlSyntax, at: location, message)
    }
}
