import Foundation

/// Reads CSV as RFC 4180 defines it, and as legacy systems actually write it.
///
/// - Fields may be quoted with `"`; a quoted field may hold the delimiter, line breaks and `""` (a quote).
/// - Lines end in CRLF, LF or CR. Blank lines are skipped. A UTF-8 byte-order mark is dropped.
/// - The delimiter is detected from the header line (`,`, `;`, tab or `|`, whichever occurs most
///   outside quotes) unless given; an Excel `sep=;` first line sets it and is skipped.
/// - The encoding is detected (see ``TextEncoding``): `caf\u{E9}` in Windows-1252 reads as "café".
/// - Forgiving where it can be without guessing: a quote inside an unquoted field, or text after a
///   closing quote, is kept as written. Not where it cannot: a quote that never closes is
///   `.malformedCSV` (it would swallow the rest of the file), and a row whose field count differs
///   from the header's is `.raggedRow` with its line, unless ``ReportOptions/allowRaggedRows``.
///
///     let records = try CSVReader().read(data: download, origin: "appointments.csv")
///
/// Related specification: https://www.rfc-editor.org/rfc/rfc4180
public struct CSVReader: Sendable {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    /// Reads CSV bytes in any supported encoding.
    public func read(data: Data, origin: String = "CSV") throws(ExtractError) -> RecordSet {
        let result: Result<RecordSet, ExtractError> = data.withUnsafeBytes { bytes in
            switch TextDecoding.prepare(bytes, forced: options.encoding, declared: { _ in nil }) {
            case .original(let offset, _):
                return Result { () throws(ExtractError) in try parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]), origin: origin) }
            case .transcoded(let utf8, _):
                return utf8.withUnsafeBytes { utf8 in Result { () throws(ExtractError) in try parse(utf8, origin: origin) } }
            }
        }
        return try result.get()
    }

    /// Reads CSV text.
    public func read(text: String, origin: String = "CSV") throws(ExtractError) -> RecordSet {
        var text = text
        let result: Result<RecordSet, ExtractError> = text.withUTF8 { bytes in
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            return Result { () throws(ExtractError) in try parse(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]), origin: origin) }
        }
        return try result.get()
    }

    private func parse(_ input: UnsafeRawBufferPointer, origin: String) throws(ExtractError) -> RecordSet {
        var bytes = input
        var firstLine = 1
        var delimiter: UInt8
        if let given = options.delimiter {
            guard let ascii = given.asciiValue, given != "\"", given != "\n", given != "\r" else {
                throw ExtractError(
                    code: .unsupportedFormat, subject: origin, message: "the delimiter must be one ASCII character other than a quote or a line break")
            }
            delimiter = ascii
        } else if let (separator, length) = Self.excelSeparatorLine(bytes) {
            delimiter = separator
            bytes = UnsafeRawBufferPointer(rebasing: bytes[length...])
            firstLine = 2
        } else {
            delimiter = Self.detectDelimiter(bytes)
        }

        var records: [[String]] = []
        var lines: [Int] = []
        try Self.scan(bytes, delimiter: delimiter, firstLine: firstLine, trim: options.trimFields, origin: origin) { fields, line in
            records.append(fields)
            lines.append(line)
        }
        guard !records.isEmpty else { return RecordSet(columns: [], rows: []) }

        let columns: [String]
        var dataStart = 0
        if options.hasHeader {
            columns = RecordSet.uniqueColumnNames(records[0])
            dataStart = 1
        } else {
            columns = RecordSet.uniqueColumnNames(Array(repeating: "", count: records[0].count))
        }
        var rows: [[String]] = []
        rows.reserveCapacity(records.count - dataStart)
        var ragged: [RecordSet.RaggedRow] = []
        for index in dataStart..<records.count {
            var row = records[index]
            if row.count != columns.count {
                guard options.allowRaggedRows else {
                    let hint = row.count == 1 && columns.count > 1
                        ? " (one field: is the delimiter right? it was taken to be \(Self.name(of: delimiter)))" : ""
                    throw ExtractError(
                        code: .raggedRow, subject: origin,
                        message: "this row has \(row.count) field\(row.count == 1 ? "" : "s") where the header has \(columns.count)\(hint); "
                            + "fix the export, or allow ragged rows (`ferry read --allow-ragged-rows`, ReportOptions.allowRaggedRows)",
                        line: lines[index])
                }
                ragged.append(RecordSet.RaggedRow(row: rows.count, line: lines[index], fieldCount: row.count))
                if row.count < columns.count { row.append(contentsOf: repeatElement("", count: columns.count - row.count)) }
            }
            rows.append(row)
        }
        return RecordSet(columns: columns, rows: rows, raggedRows: ragged)
    }

    /// The RFC 4180 state machine: calls `emit` with each record's fields and the line it starts on.
    private static func scan(
        _ bytes: UnsafeRawBufferPointer, delimiter: UInt8, firstLine: Int, trim: Bool, origin: String,
        emit: ([String], Int) -> Void
    ) throws(ExtractError) {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var fields: [String] = []
        var line = firstLine
        var recordLine = firstLine
        var inQuotes = false
        var wasQuoted = false
        var quoteLine = firstLine
        let count = bytes.count
        var index = 0

        func finishField() {
            var slice = field[...]
            if trim {
                while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
                while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            }
            fields.append(String(decoding: slice, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func finishRecord() {
            emit(fields, recordLine)
            fields.removeAll(keepingCapacity: true)
        }

        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == lf || (byte == cr && !(index + 1 < count && bytes[index + 1] == lf)) { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case delimiter:
                finishField()
            case cr, lf:
                if byte == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                let blankLine = fields.isEmpty && field.isEmpty && !wasQuoted
                if !blankLine {
                    finishField()
                    finishRecord()
                }
                line += 1
                recordLine = line
            case quote where field.isEmpty && !wasQuoted:
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            default:
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw ExtractError(
                code: .malformedCSV, subject: origin,
                message: "a quoted field opened on this line never closes, so the rest of the file would be one field; "
                    + "the export is truncated or has a stray `\"`: download it again or fix that line",
                line: quoteLine)
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            finishField()
            finishRecord()
        }
    }

    /// An Excel `sep=X` first line: the separator and the line's length including its line break.
    private static func excelSeparatorLine(_ bytes: UnsafeRawBufferPointer) -> (UInt8, Int)? {
        guard bytes.count >= 5, bytes[0] | 0x20 == UInt8(ascii: "s"), bytes[1] | 0x20 == UInt8(ascii: "e"),
            bytes[2] | 0x20 == UInt8(ascii: "p"), bytes[3] == UInt8(ascii: "=")
        else { return nil }
        let separator = bytes[4]
        var length = 5
        if length < bytes.count, bytes[length] == UInt8(ascii: "\r") { length += 1 }
        if length < bytes.count, bytes[length] == UInt8(ascii: "\n") { length += 1 }
        guard length == bytes.count || bytes[length - 1] == UInt8(ascii: "\n") || bytes[length - 1] == UInt8(ascii: "\r") else { return nil }
        return (separator, length)
    }

    /// The candidate delimiter occurring most often outside quotes on the first line (`,` on a tie or none).
    static func detectDelimiter(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                if let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }), counts[best] > 0 else {
            return candidates[0]
        }
        return candidates[best]
    }

    private static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case 0x09: "tab"
        case UInt8(ascii: ","): "`,`"
        case UInt8(ascii: ";"): "`;`"
        default: "`\(Character(Unicode.Scalar(delimiter)))`"
        }
    }
}
