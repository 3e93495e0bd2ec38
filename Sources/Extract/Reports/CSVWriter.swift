import Foundation

/// Writes records as RFC 4180 CSV, for uploads into other systems.
///
///     let csv = CSVWriter().string(records)                    // header + rows, CRLF line ends
///     let file = CSVWriter(delimiter: ";").data(records, encoding: .windows1252)
///
/// A field is quoted when it holds the delimiter, a quote (doubled inside), a line break, or leading or
/// trailing spaces (which some importers trim); everything else is written as is. `neutralizeFormulas`
/// prefixes `'` to values starting with `=`, `+`, `-`, `@`, tab or CR, so a spreadsheet opening the
/// upload does not run them (CSV injection); leave it off for systems that store values verbatim.
///
/// Related specification: https://www.rfc-editor.org/rfc/rfc4180
public struct CSVWriter: Sendable, Hashable {
    public var delimiter: Character
    public var lineEnding: String
    public var includeHeader: Bool
    /// Start the output with a UTF-8 byte-order mark (Excel needs it to read UTF-8 accents right).
    public var byteOrderMark: Bool
    public var quoteAll: Bool
    public var neutralizeFormulas: Bool

    public init(
        delimiter: Character = ",", lineEnding: String = "\r\n", includeHeader: Bool = true, byteOrderMark: Bool = false,
        quoteAll: Bool = false, neutralizeFormulas: Bool = false
    ) {
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.includeHeader = includeHeader
        self.byteOrderMark = byteOrderMark
        self.quoteAll = quoteAll
        self.neutralizeFormulas = neutralizeFormulas
    }

    /// The CSV text, ending with a line break.
    public func string(_ records: RecordSet) -> String {
        var output = byteOrderMark ? "\u{FEFF}" : ""
        if includeHeader { output += line(records.columns) }
        for row in records.rows { output += line(row) }
        return output
    }

    /// The CSV bytes in `encoding` (Windows-1252 turns characters it lacks into `?`).
    public func data(_ records: RecordSet, encoding: TextEncoding = .utf8) -> Data {
        let text = string(records)
        switch encoding {
        case .utf8: return Data(text.utf8)
        case .windows1252: return Data(Windows1252.encode(byteOrderMark ? String(text.dropFirst()) : text))
        case .utf16LittleEndian: return text.data(using: .utf16LittleEndian) ?? Data()
        case .utf16BigEndian: return text.data(using: .utf16BigEndian) ?? Data()
        }
    }

    /// One record and its line ending.
    public func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: String(delimiter)) + lineEnding
    }

    /// One field, quoted if it needs to be.
    public func field(_ value: String) -> String {
        var value = value
        if neutralizeFormulas, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        let separator = delimiter.unicodeScalars.first ?? ","
        let needsQuotes = quoteAll || value.hasPrefix(" ") || value.hasSuffix(" ")
            || value.unicodeScalars.contains { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
