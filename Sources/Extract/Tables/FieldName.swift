/// The name a flow uses for a column: header text in snake_case.
///
///     FieldName.snakeCase("Patient ID")       // "patient_id"
///     FieldName.snakeCase("Amount (EUR)")     // "amount_eur"
///     FieldName.snakeCase("Zoë's visit #")    // "zoës_visit"
///
/// Letters are lowercased, every run of other characters becomes one `_`, and a name that would
/// start with a digit gets a leading `column_`. Empty headers become `column_N` by position.
public enum FieldName {
    public static func snakeCase(_ header: String, position: Int = 1) -> String {
        var name = ""
        var pendingSeparator = false
        for character in header.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSeparator, !name.isEmpty { name.append("_") }
                pendingSeparator = false
                name.append(character)
            } else {
                pendingSeparator = true
            }
        }
        if name.isEmpty { return "column_\(position)" }
        if let first = name.first, first.isNumber { return "column_" + name }
        return name
    }

    /// The records of a set, keyed by their columns' snake_case names (a later duplicate gets `_2`).
    public static func snakeCaseRecords(_ set: RecordSet) -> (columns: [String], records: [[String: String]]) {
        var seen: [String: Int] = [:]
        let names = set.columns.enumerated().map { index, column -> String in
            let base = snakeCase(column, position: index + 1)
            seen[base, default: 0] += 1
            return seen[base]! == 1 ? base : "\(base)_\(seen[base]!)"
        }
        let records = set.rows.map { row -> [String: String] in
            var record: [String: String] = [:]
            for (index, name) in names.enumerated() { record[name] = index < row.count ? row[index] : "" }
            return record
        }
        return (names, records)
    }
}
