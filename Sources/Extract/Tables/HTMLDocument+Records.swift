import CLibXML2

extension HTMLDocument {
    /// Records from repeated elements that are not a table (a `div` per appointment, an `li` per line):
    /// one record per element `rows` matches, each field the normalised text of the first match of its
    /// selector inside that element (empty when nothing matches).
    ///
    ///     let cards = try page.records(rows: "div.appointment", fields: [
    ///         FieldSelector("patient", ".patient"), FieldSelector("time", "time::attr(datetime)"),
    ///     ])
    ///
    /// Field selectors are CSS (looked for inside the row) or `xpath=` relative to the row (`xpath=./td[2]`,
    /// `xpath=@data-id`). Columns come in the order of `fields`.
    public func records(rows: String, fields: [FieldSelector]) throws(ExtractError) -> RecordSet {
        let rowSelector = try ElementSelector(rows)
        var compiled: [ElementSelector] = []
        for field in fields {
            do {
                compiled.append(try ElementSelector(field.selector))
            } catch {
                throw ExtractError(
                    code: error.code, subject: error.subject, message: "field `\(field.name)`: \(error.message)", column: error.column)
            }
        }
        let matches = try evaluatePointers(rowSelector.xpath, from: nil, selector: rowSelector)
        var text = NodeText()
        var values: [[String]] = []
        values.reserveCapacity(matches.count)
        for row in matches {
            var record: [String] = []
            record.reserveCapacity(compiled.count)
            for selector in compiled {
                let match = try evaluatePointers(selector.xpath, from: row, selector: selector).first
                record.append(match.map { text.normalized($0) } ?? "")
            }
            values.append(record)
        }
        return RecordSet(columns: RecordSet.uniqueColumnNames(fields.map(\.name)), rows: values)
    }
}
