extension RecordSet {
    /// The records as a JSON array of objects, keys in column order (values beyond the columns are left out).
    ///
    ///     [{"ID": "A-1", "Patient": "Ada Lovelace"}]
    public func json(pretty: Bool = true) -> String {
        guard !rows.isEmpty else { return "[]" }
        let keys = columns.map(Self.jsonString)
        var output = "["
        for (rowIndex, row) in rows.enumerated() {
            output += rowIndex == 0 ? (pretty ? "\n  {" : "{") : (pretty ? ",\n  {" : ",{")
            for (index, key) in keys.enumerated() {
                if index > 0 { output += pretty ? ", " : "," }
                output += key
                output += pretty ? ": " : ":"
                output += Self.jsonString(index < row.count ? row[index] : "")
            }
            output += "}"
        }
        output += pretty ? "\n]" : "]"
        return output
    }

    /// One compact JSON object per line (JSON Lines), for piping into other tools.
    public func jsonLines() -> String {
        rows.indices.map { RecordSet(columns: columns, rows: [rows[$0]]).json(pretty: false).dropFirst().dropLast() }
            .joined(separator: "\n")
    }

    /// A JSON string literal (RFC 8259 escaping).
    static func jsonString(_ value: String) -> String {
        var output = "\""
        output.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
