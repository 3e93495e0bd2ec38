import CLibXML2

extension HTMLDocument {
    /// The records of the table a Ferry selector (CSS, or `xpath=`) points at, keyed by its header cells.
    ///
    ///     let appointments = try page.table("table#appointments")
    ///     appointments.records.first?["Patient"]   // "Ada Lovelace"
    ///
    /// The first match is used. It may be the `table` itself, an element holding one (the first table
    /// inside it is read), or a part of one (`tbody`, a row: its table is read). An empty table gives an
    /// empty set, with columns when it has a header.
    ///
    /// - Throws: `.noMatch` when nothing matches, `.notATable` when the match has no table,
    ///   `.invalidSelector`/`.invalidXPath`, `.queryTooSlow`, `.tableTooWide`.
    public func table(_ selector: String, options: TableOptions = TableOptions()) throws(ExtractError) -> RecordSet {
        let parsed = try ElementSelector(selector)
        guard let match = try firstPointer(parsed) else {
            throw ExtractError(
                code: .noMatch, subject: selector,
                message: "no element on \(origin) matches it; the page may have changed. Try it on the saved page with "
                    + "`ferry extract FILE --table '\(selector)'` (without --table it lists the page's tables)")
        }
        guard let table = Self.table(around: match) else {
            throw ExtractError(
                code: .notATable, subject: selector,
                message: "it matches a <\(HTMLNode(document: self, pointer: match).name)> on \(origin) that is not in or around a "
                    + "table; point it at the <table> (e.g. `table#id`)")
        }
        var reader = TableReader(options: options, origin: origin)
        return try reader.read(table)
    }

    /// All tables of the page with what a maintainer needs to pick one: a selector, size and columns.
    public func tableSummaries() -> [TableSummary] {
        let tables = (try? evaluatePointers("descendant::table", from: nil)) ?? []
        return tables.enumerated().map { index, table in
            var reader = TableReader(options: TableOptions(), origin: origin)
            let records = (try? reader.read(table)) ?? RecordSet(columns: [], rows: [])
            let node = HTMLNode(document: self, pointer: table)
            return TableSummary(
                index: index + 1, selector: Self.suggestedSelector(for: node, index: index + 1), rowCount: records.count,
                columns: records.columns, isNested: Self.hasTableAncestor(table),
                containsTables: (try? evaluatePointers("descendant::table[1]", from: table))?.isEmpty == false)
        }
    }

    /// The table a matched node stands for: itself, the first table inside it, or the table around it.
    static func table(around node: xmlNodePtr) -> xmlNodePtr? {
        guard node.pointee.type == XML_ELEMENT_NODE else { return node.pointee.parent.flatMap(table(around:)) }
        if ElementName.key(node.pointee.name) == ElementName.table { return node }
        // Breadth does not matter here: the first table in document order.
        var current = node.pointee.children
        while let candidate = current {
            if candidate.pointee.type == XML_ELEMENT_NODE {
                if ElementName.key(candidate.pointee.name) == ElementName.table { return candidate }
                if let child = candidate.pointee.children {
                    current = child
                    continue
                }
            }
            var up: xmlNodePtr? = candidate
            current = nil
            while let step = up, step != node {
                if let next = step.pointee.next {
                    current = next
                    break
                }
                up = step.pointee.parent
            }
        }
        var up = node.pointee.parent
        while let ancestor = up, ancestor.pointee.type == XML_ELEMENT_NODE {
            if ElementName.key(ancestor.pointee.name) == ElementName.table { return ancestor }
            up = ancestor.pointee.parent
        }
        return nil
    }

    private static func hasTableAncestor(_ node: xmlNodePtr) -> Bool {
        var up = node.pointee.parent
        while let ancestor = up, ancestor.pointee.type == XML_ELEMENT_NODE {
            if ElementName.key(ancestor.pointee.name) == ElementName.table { return true }
            up = ancestor.pointee.parent
        }
        return false
    }

    private static func suggestedSelector(for table: HTMLNode, index: Int) -> String {
        if let id = table.attribute("id"), !id.isEmpty, id.unicodeScalars.allSatisfy(isPlainName) { return "table#\(id)" }
        let classes = (table.attribute("class") ?? "").split(separator: " ").filter { $0.unicodeScalars.allSatisfy(isPlainName) }
        if !classes.isEmpty { return "table." + classes.joined(separator: ".") + (index > 1 ? "  (or xpath=(//table)[\(index)])" : "") }
        return "xpath=(//table)[\(index)]"
    }

    private static func isPlainName(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x80 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || scalar == "-" || scalar == "_"
    }
}
