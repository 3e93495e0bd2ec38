/// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into records that remember the
/// line they start on, so the ledger's upload can name the line of each bad row.
enum CSVReader {
    struct Record: Equatable {
        /// The 1-based line the record starts on (the header is line 1).
        let line: Int
        let fields: [String]
    }

    /// Why a file could not be read at all.
    struct Failure: Error, Equatable {
        let line: Int
        let message: String
    }

    /// All records; blank lines are skipped. Fails only on an unterminated quoted field.
    static func records(in text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }  // byte-order mark
        var index = 0

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while index < characters.count {
            let character = characters[index]
            if inQuotes {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.unicodeScalars.append(character)
                }
            } else {
                switch character {
                case "\"" where field.isEmpty:
                    inQuotes = true
                    fieldWasQuoted = true
                case ",":
                    fields.append(field)
                    field = ""
                    fieldWasQuoted = false
                case "\r" where index + 1 < characters.count && characters[index + 1] == "\n":
                    break
                case "\n", "\r":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.unicodeScalars.append(character)
                }
            }
            index += 1
        }
        if inQuotes {
            throw Failure(line: recordLine, message: "Line \(recordLine): a quoted field is never closed.")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
