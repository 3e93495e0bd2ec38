import CLibXML2

/// Turns one `<table>` element into records, walking libxml2's tree directly.
///
/// Rows are the table's own `tr` elements (under `thead`/`tbody`/`tfoot`, directly under `table`, or
/// under stray wrappers such as a `form`), never those of a nested table. Cells are laid out as a
/// browser lays them out: `colspan` repeats a cell's text across the columns it covers, `rowspan` down
/// the rows it covers (HTML's limits apply: colspan ≤ 1000, rowspan ≤ 65534, `rowspan=0` to the end).
/// Each cell's text is normalised (see ``NodeText``). Column names come from the header rows
/// (``TableOptions/Header``), made unique (``RecordSet/uniqueColumnNames(_:)``).
///
/// One pass over the rows, one reusable text buffer, no XPath per row or cell.
///
/// Related specification: https://html.spec.whatwg.org/multipage/tables.html#forming-a-table
struct TableReader {
    static let maximumColumns = 10_000

    private enum Section { case head, body, foot }

    /// What the reader learned about one source row while laying it out.
    private struct RowInfo {
        var section: Section
        var allHeaderCells: Bool
        var cellCount: Int
        /// One cell spanning several columns and nothing carried down from above.
        var singleSpanningCell: Bool
    }

    let options: TableOptions
    let origin: String
    private var text = NodeText()

    init(options: TableOptions, origin: String) {
        self.options = options
        self.origin = origin
    }

    mutating func read(_ table: xmlNodePtr) throws(ExtractError) -> RecordSet {
        let rowNodes = Self.rows(of: table)
        var grid: [[String]] = []
        var infos: [RowInfo] = []
        grid.reserveCapacity(rowNodes.count)
        infos.reserveCapacity(rowNodes.count)

        // Values carried down by rowspan, per column: how many more rows, and the text.
        var carried: [(remaining: Int, value: String)] = []
        var widthHint = 4
        for (rowIndex, row) in rowNodes.enumerated() {
            var values: [String] = []
            values.reserveCapacity(widthHint)
            var info = RowInfo(section: Self.section(of: row, in: table), allHeaderCells: true, cellCount: 0, singleSpanningCell: false)
            var usedCarry = false
            var cell = row.pointee.children
            while let current = cell {
                cell = current.pointee.next
                guard current.pointee.type == XML_ELEMENT_NODE else { continue }
                let key = ElementName.key(current.pointee.name)
                guard key == ElementName.td || key == ElementName.th else { continue }
                info.cellCount += 1
                if key == ElementName.td { info.allHeaderCells = false }
                // Columns still covered by a rowspan from above come first.
                while values.count < carried.count, carried[values.count].remaining > 0 {
                    carried[values.count].remaining -= 1
                    values.append(carried[values.count].value)
                    usedCarry = true
                }
                let value = text.normalized(current)
                let (colspan, rowspan) = Self.spans(of: current, rowsLeft: rowNodes.count - rowIndex)
                if info.cellCount == 1 { info.singleSpanningCell = colspan > 1 }
                for _ in 0..<colspan {
                    if rowspan > 1 {
                        while carried.count <= values.count { carried.append((0, "")) }
                        carried[values.count] = (rowspan - 1, value)
                    }
                    values.append(value)
                }
                guard values.count <= Self.maximumColumns else {
                    throw ExtractError(
                        code: .tableTooWide, subject: origin,
                        message: "row \(rowIndex + 1) spans more than \(Self.maximumColumns) columns; this is not a data table "
                            + "(check the selector, or the page's colspan attributes)")
                }
            }
            // Columns after the last cell still covered from above.
            if let last = carried.lastIndex(where: { $0.remaining > 0 }), last >= values.count {
                while values.count <= last {
                    if carried[values.count].remaining > 0 {
                        carried[values.count].remaining -= 1
                        values.append(carried[values.count].value)
                        usedCarry = true
                    } else {
                        values.append("")
                    }
                }
            }
            if info.cellCount != 1 || usedCarry { info.singleSpanningCell = false }
            if info.cellCount == 0 { info.allHeaderCells = false }
            widthHint = max(widthHint, values.count)
            grid.append(values)
            infos.append(info)
        }
        return assemble(grid, infos)
    }

    /// A header cell's text reduced to what a page's decoration leaves alone: letters and digits,
    /// lowercased (`ID ▲▼` and `Id` are both `id`).
    static func headerKey(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }))
    }

    /// Whether a data row repeats a header row (printable reports repeat it every page; a page's
    /// script may decorate either copy with sort arrows or change its case): every cell that has
    /// text matches the header's cell in that column, and at least two do.
    static func repeatsHeader(_ row: [String], _ headers: [[String]]) -> Bool {
        headers.contains { header in
            var matched = 0
            for (column, cell) in row.enumerated() {
                let key = headerKey(cell)
                if key.isEmpty { continue }
                guard column < header.count, key == header[column] else { return false }
                matched += 1
            }
            return matched >= min(2, header.filter { !$0.isEmpty }.count) && matched > 0
        }
    }

    /// Splits the laid-out rows into header and data and names the columns.
    private func assemble(_ grid: [[String]], _ infos: [RowInfo]) -> RecordSet {
        var headerRows: [Int] = []
        var titleRows: [Int] = []
        switch options.header {
        case .auto:
            var candidates = infos.indices.filter { infos[$0].section == .head }
            if candidates.isEmpty {
                candidates = Array(infos.prefix { $0.allHeaderCells }.indices)
            }
            // A lone cell spanning the table above the column headers is a title, not a column name.
            titleRows = candidates.filter { infos[$0].singleSpanningCell }
            headerRows = candidates.filter { !infos[$0].singleSpanningCell }
            if headerRows.isEmpty,
                let first = infos.indices.first(where: { infos[$0].cellCount > 0 && !infos[$0].singleSpanningCell })
            {
                headerRows = [first]
            }
        case .firstRow:
            headerRows = infos.indices.first.map { [$0] } ?? []
        case .rows(let count):
            headerRows = Array(infos.indices.prefix(max(0, count)))
        case .none:
            headerRows = []
        }
        let isHeader = Set(headerRows + titleRows)
        let headerValues = headerRows.map { grid[$0] }
        let headerKeys = headerValues.map { $0.map(Self.headerKey) }

        var dataRows: [Int] = []
        dataRows.reserveCapacity(grid.count)
        for index in grid.indices where !isHeader.contains(index) {
            let info = infos[index]
            if info.cellCount == 0 { continue }
            if info.section == .foot && !options.includeFooter { continue }
            if options.skipEmptyRows && grid[index].allSatisfy(\.isEmpty) { continue }
            if options.skipRepeatedHeaders && !headerValues.isEmpty && Self.repeatsHeader(grid[index], headerKeys) { continue }
            dataRows.append(index)
        }
        var width = headerValues.map(\.count).max() ?? 0
        for index in dataRows where !infos[index].singleSpanningCell { width = max(width, grid[index].count) }
        if width == 0 { width = dataRows.map { grid[$0].count }.max() ?? 0 }

        var rows: [[String]] = []
        rows.reserveCapacity(dataRows.count)
        for index in dataRows {
            if options.skipFullWidthRows && infos[index].singleSpanningCell && width > 1 && grid[index].count >= width { continue }
            var row = grid[index]
            if row.count < width { row.append(contentsOf: repeatElement("", count: width - row.count)) }
            rows.append(row)
        }
        // A single-cell row as wide as everything else was skipped above; a table of only such rows keeps them.
        width = max(width, rows.map(\.count).max() ?? 0)

        var names: [String] = []
        names.reserveCapacity(width)
        for column in 0..<width {
            var parts: [String] = []
            for header in headerValues where column < header.count {
                let part = header[column]
                if !part.isEmpty && parts.last != part { parts.append(part) }
            }
            names.append(parts.joined(separator: " "))
        }
        return RecordSet(columns: RecordSet.uniqueColumnNames(names), rows: rows)
    }

    /// The table's own rows in document order, skipping nested tables.
    static func rows(of table: xmlNodePtr) -> [xmlNodePtr] {
        var rows: [xmlNodePtr] = []
        var current = table.pointee.children
        while let node = current {
            if node.pointee.type == XML_ELEMENT_NODE {
                let key = ElementName.key(node.pointee.name)
                if key == ElementName.tr {
                    rows.append(node)
                } else if key != ElementName.table, let child = node.pointee.children {
                    current = child
                    continue
                }
            }
            current = next(after: node, within: table)
        }
        return rows
    }

    /// The next node in document order after `node`'s subtree, staying inside `root`.
    private static func next(after node: xmlNodePtr, within root: xmlNodePtr) -> xmlNodePtr? {
        var up: xmlNodePtr? = node
        while let current = up, current != root {
            if let next = current.pointee.next { return next }
            up = current.pointee.parent
        }
        return nil
    }

    private static func section(of row: xmlNodePtr, in table: xmlNodePtr) -> Section {
        var up = row.pointee.parent
        while let node = up, node != table {
            let key = ElementName.key(node.pointee.name)
            if key == ElementName.thead { return .head }
            if key == ElementName.tfoot { return .foot }
            if key == ElementName.tbody { return .body }
            up = node.pointee.parent
        }
        return .body
    }

    /// A cell's colspan and rowspan, clamped to HTML's limits; rowspan 0 reaches the last row.
    private static func spans(of cell: xmlNodePtr, rowsLeft: Int) -> (Int, Int) {
        var colspan = 1
        var rowspan = 1
        var attribute = cell.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            let key = ElementName.key(current.pointee.name)
            guard key == ElementName.colspan || key == ElementName.rowspan else { continue }
            guard let value = number(current.pointee.children?.pointee.content) else { continue }
            if key == ElementName.colspan {
                colspan = min(max(value, 1), 1000)
            } else {
                rowspan = value == 0 ? rowsLeft : min(max(value, 1), 65534)
            }
        }
        return (colspan, rowspan)
    }

    /// The leading digits of an attribute value (`" 2"`, `"3px"` → 3), as browsers read them.
    private static func number(_ text: UnsafePointer<xmlChar>?) -> Int? {
        guard let text else { return nil }
        var index = 0
        while text[index] == 0x20 || text[index] == 0x09 || text[index] == 0x0A || text[index] == 0x0D { index += 1 }
        var value = 0
        var digits = 0
        while text[index] >= 0x30 && text[index] <= 0x39 {
            value = min(value * 10 + Int(text[index] - 0x30), 1_000_000)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}
