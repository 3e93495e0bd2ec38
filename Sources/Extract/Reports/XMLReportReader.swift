import CLibXML2
import Foundation

/// Reads an XML export into records: one record per repeated element, its fields from its attributes
/// and child elements.
///
///     <export>
///       <appointment id="A-1"><patient>Ada</patient><address><city>Leeds</city></address></appointment>
///       <appointment id="A-2"><patient>Alan</patient></appointment>
///     </export>
///
/// reads as columns `id`, `patient`, `address.city`, two rows. Without ``ReportOptions/recordElement``
/// the records are the most repeated element name among the children of the root and its
/// descendants down to three levels (the shallowest wins a tie). A child's attributes become
/// `child.attribute`; repeated children of one record join with `; `. Names are local (no prefix).
///
/// With ``ReportOptions/fields``, each field is instead the string value of the first node its XPath
/// selects from the record (`@invoice`, `amount`, `address/city`), in the order given; with a default
/// namespace, name elements as `*[local-name()='amount']` (XPath 1.0 has no default namespace).
///
/// libxml2's XML parser runs with no network, no DTD loading, no entity substitution and Ferry's
/// refuse-everything entity loader: an external entity (XXE) is never fetched, and an entity bomb
/// (billion laughs) is never expanded, its reference shows as `&name;`. Malformed XML is an error with
/// the line, never a partial read.
public struct XMLReportReader: Sendable {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    public func read(data: Data, origin: String = "export.xml") throws(ExtractError) -> RecordSet {
        guard data.count <= options.sizeLimit else {
            throw ExtractError(
                code: .documentTooLarge, subject: origin,
                message: "\(ByteCount(data.count)) is over the \(ByteCount(options.sizeLimit)) limit; raise the size limit if the export is legitimately this big")
        }
        let parsed: Result<xmlDocPtr, ExtractError> = data.withUnsafeBytes { bytes in
            switch TextDecoding.prepare(bytes, forced: options.encoding, declared: DeclaredEncoding.xml) {
            case .original(let offset, let name):
                let ignoreDeclaration = TextEncoding(label: name) != nil
                return Result { () throws(ExtractError) in
                    try Self.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]), encoding: ignoreDeclaration ? name : nil, origin: origin)
                }
            case .transcoded(let utf8, _):
                return utf8.withUnsafeBytes { utf8 in
                    Result { () throws(ExtractError) in try Self.parse(utf8, encoding: "UTF-8", origin: origin) }
                }
            }
        }
        let document = try parsed.get()
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "the XML has no root element; download the export again")
        }
        let evaluator = XPathEvaluator(document: document)
        let records = try recordElements(in: document, root: root, origin: origin, evaluator: evaluator)
        if let fields = options.fields { return try Self.select(fields, from: records, evaluator: evaluator) }
        return Self.flatten(records)
    }

    /// Records whose fields are XPath expressions relative to each record element.
    private static func select(_ fields: [FieldSelector], from records: [xmlNodePtr], evaluator: XPathEvaluator) throws(ExtractError) -> RecordSet {
        var text = NodeText()
        var rows: [[String]] = []
        rows.reserveCapacity(records.count)
        for record in records {
            var row: [String] = []
            row.reserveCapacity(fields.count)
            for field in fields {
                let expression = field.selector.hasPrefix("xpath=") ? String(field.selector.dropFirst(6)) : field.selector
                let match: xmlNodePtr?
                do {
                    match = try evaluator.nodes(expression, from: record, budget: HTMLDocument.defaultQueryBudget).first
                } catch {
                    throw ExtractError(code: error.code, subject: error.subject, message: "field `\(field.name)`: \(error.message)")
                }
                row.append(match.map { text.raw($0) } ?? "")
            }
            rows.append(row)
        }
        return RecordSet(columns: RecordSet.uniqueColumnNames(fields.map(\.name)), rows: rows)
    }

    /// Parses strictly: malformed XML is an error with its line, not a silently partial document.
    /// `encoding` overrides the XML declaration (Ferry chose it from the bytes); `nil` lets libxml2 follow it.
    private static func parse(_ bytes: UnsafeRawBufferPointer, encoding: String?, origin: String) throws(ExtractError) -> xmlDocPtr {
        LibXML.prepare()
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count > 0 else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "the file is empty (0 bytes); download the export again")
        }
        guard bytes.count <= Int(Int32.max) else {
            throw ExtractError(code: .documentTooLarge, subject: origin, message: "libxml2 reads at most 2 GB at once; split the export")
        }
        guard let context = xmlNewParserCtxt() else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "libxml2 could not allocate a parser (out of memory?)")
        }
        defer { xmlFreeParserCtxt(context) }
        // No XML_PARSE_NOENT (substitution), XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR or XML_PARSE_XINCLUDE: ever.
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_COMPACT.rawValue
        if encoding != nil { options |= XML_PARSE_IGNORE_ENC.rawValue }
        let document = xmlCtxtReadMemory(context, base, Int32(bytes.count), origin, encoding, Int32(options))
        if let document, context.pointee.wellFormed != 0 { return document }
        if let document { xmlFreeDoc(document) }
        let error = context.pointee.lastError
        let message = error.message.map { String(cString: $0).trimmingASCIIWhitespace() } ?? "not well-formed"
        let line = error.line > 0 ? Int(error.line) : nil
        if message.contains("depth") {
            throw ExtractError(
                code: .documentTooDeep, subject: origin,
                message: "elements are nested deeper than libxml2's limit (256); the export is broken or hostile", line: line)
        }
        if message.lowercased().contains("entit") && (message.contains("loop") || message.contains("amplification")) {
            throw ExtractError(
                code: .unreadableDocument, subject: origin,
                message: "the export declares entities that would expand explosively (libxml2: \(message)); it was refused. "
                    + "A real export never needs this: ask the system's owners", line: line)
        }
        throw ExtractError(
            code: .unreadableDocument, subject: origin,
            message: "not well-formed XML (libxml2: \(message)); the export is broken or truncated: download it again", line: line)
    }

    private func recordElements(
        in document: xmlDocPtr, root: xmlNodePtr, origin: String, evaluator: XPathEvaluator
    ) throws(ExtractError) -> [xmlNodePtr] {
        if let record = options.recordElement {
            if record.hasPrefix("xpath=") || record.hasPrefix("/") || record.hasPrefix(".") || record.hasPrefix("(") {
                let expression = record.hasPrefix("xpath=") ? String(record.dropFirst(6)) : record
                LibXML.prepare()
                let found = try evaluator.nodes(expression, from: nil, budget: HTMLDocument.defaultQueryBudget)
                    .filter { $0.pointee.type == XML_ELEMENT_NODE }
                if found.isEmpty {
                    throw ExtractError(
                        code: .noMatch, subject: record,
                        message: "selects no element in \(origin); names are case-sensitive, and elements in a default namespace "
                            + "need *[local-name()='name']")
                }
                return found
            }
            var found: [xmlNodePtr] = []
            Self.forEachElement(under: root, maxDepth: 64) { node, _ in
                if Self.name(of: node) == record { found.append(node) }
                return Self.name(of: node) != record  // records do not nest
            }
            if found.isEmpty {
                throw ExtractError(
                    code: .noMatch, subject: record,
                    message: "no <\(record)> element in \(origin); names are case-sensitive, check the export")
            }
            return found
        }
        // The most repeated child name of any element down to three levels; the shallowest wins a tie.
        var best: (count: Int, depth: Int, parent: xmlNodePtr, name: String)?
        var candidates: [(xmlNodePtr, Int)] = [(root, 0)]
        Self.forEachElement(under: root, maxDepth: 3) { node, depth in
            candidates.append((node, depth))
            return true
        }
        for (parent, depth) in candidates {
            var counts: [String: Int] = [:]
            var order: [String] = []
            var child = parent.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    let name = Self.name(of: current)
                    if counts[name] == nil { order.append(name) }
                    counts[name, default: 0] += 1
                }
                child = current.pointee.next
            }
            for name in order {
                let count = counts[name] ?? 0
                if best.map({ count > $0.count || (count == $0.count && depth < $0.depth) }) ?? true {
                    best = (count, depth, parent, name)
                }
            }
        }
        guard let best else { return [] }
        if best.count == 1 && best.parent == root {
            // Nothing repeats: each child of the root is one record.
            return Self.children(of: root)
        }
        return Self.children(of: best.parent).filter { Self.name(of: $0) == best.name }
    }

    /// Records as rows: columns in first-seen order across records.
    private static func flatten(_ records: [xmlNodePtr]) -> RecordSet {
        var columns: [String] = []
        var index: [String: Int] = [:]
        var rows: [[String]] = []
        rows.reserveCapacity(records.count)
        var text = NodeText()
        for record in records {
            var fields: [(String, String)] = []
            if record.pointee.properties == nil && children(of: record).isEmpty {
                fields.append((name(of: record), text.raw(record)))  // `<amount>12</amount>`: the element is the value
            } else {
                collectFields(of: record, prefix: "", depth: 0, into: &fields, text: &text)
            }
            var row: [String: String] = [:]
            for (name, value) in fields {
                if let existing = row[name] {
                    row[name] = existing + "; " + value
                } else {
                    row[name] = value
                    if index[name] == nil {
                        index[name] = columns.count
                        columns.append(name)
                    }
                }
            }
            rows.append(columns.map { row[$0] ?? "" })
        }
        let width = columns.count
        rows = rows.map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }
        return RecordSet(columns: columns, rows: rows)
    }

    private static func collectFields(of element: xmlNodePtr, prefix: String, depth: Int, into fields: inout [(String, String)], text: inout NodeText) {
        var attribute = element.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let content = xmlNodeListGetString(element.pointee.doc, current.pointee.children, 1) {
                value = String(cString: content)
                ferry_xml_free(content)
            }
            fields.append((prefix + name, value))
            attribute = current.pointee.next
        }
        for child in children(of: element) {
            let name = prefix + self.name(of: child)
            let hasElements = children(of: child).isEmpty == false
            if hasElements && depth < 8 {
                collectFields(of: child, prefix: name + ".", depth: depth + 1, into: &fields, text: &text)
            } else {
                var childAttribute = child.pointee.properties
                while let current = childAttribute {
                    let attributeName = current.pointee.name.map { String(cString: $0) } ?? ""
                    var value = ""
                    if let content = xmlNodeListGetString(child.pointee.doc, current.pointee.children, 1) {
                        value = String(cString: content)
                        ferry_xml_free(content)
                    }
                    fields.append((name + "." + attributeName, value))
                    childAttribute = current.pointee.next
                }
                if child.pointee.properties == nil || child.pointee.children != nil {
                    fields.append((name, text.raw(child)))
                }
            }
        }
    }

    private static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    private static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// Visits elements below `root` in document order, depth first, without recursion; `visit`
    /// returns whether to descend into the element.
    private static func forEachElement(under root: xmlNodePtr, maxDepth: Int, _ visit: (xmlNodePtr, Int) -> Bool) {
        var stack: [(xmlNodePtr, Int)] = children(of: root).reversed().map { ($0, 1) }
        while let (node, depth) = stack.popLast() {
            if visit(node, depth), depth < maxDepth {
                stack.append(contentsOf: children(of: node).reversed().map { ($0, depth + 1) })
            }
        }
    }
}
