import Extract
import Foundation

/// Small builders that keep each test one line of intent: a page from a table body, a table read from markup.
enum ExtractFixture {
    /// The records of the first table matched in `html`.
    static func table(_ html: String, _ selector: String = "table", options: TableOptions = TableOptions()) throws -> RecordSet {
        try HTMLDocument(html: html).table(selector, options: options)
    }

    /// A page holding one table `#data` with a header row and `rows` data rows of `columns` cells.
    static func page(rows: Int, columns: Int = 6, id: String = "data") -> String {
        var html = "<html><body><table id=\(id)><thead><tr>"
        for column in 1...columns { html += "<th>C\(column)</th>" }
        html += "</tr></thead><tbody>\n"
        for row in 1...max(rows, 1) where rows > 0 {
            html += "<tr>"
            for column in 1...columns { html += "<td>r\(row)c\(column)</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody></table></body></html>"
    }

    /// Text as Windows-1252 bytes (every character must exist in Windows-1252).
    static func windows1252(_ text: String) -> Data {
        Data(text.unicodeScalars.map { scalar -> UInt8 in
            switch scalar {
            case "€": 0x80
            case "’": 0x92
            default: UInt8(scalar.value)
            }
        })
    }
}
