import ArgumentParser
import Extract
import Foundation

/// `ferry read REPORT`: print a downloaded report's records, to check how Ferry reads it.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print the records of a downloaded report (CSV, HTML or XML export).",
        discussion: """
            The format comes from the file's extension, else from its content (an "Excel" export that is \
            really HTML reads as HTML). CSV: the delimiter (, ; tab |) and encoding (UTF-8, else \
            Windows-1252) are detected; quoted fields may span lines; a row with the wrong number of fields \
            is an error naming its line unless --allow-ragged-rows. HTML: the table with the most rows, or \
            --table. XML: the most repeated element, or --record. Records go to standard output, a summary \
            to standard error.

              ferry read downloads/appointments.csv --format text
              ferry read billing.xls --table 'table.report'
              ferry read export.xml --record appointment --format json
              ferry read billing.xml --record //line --field invoice=@invoice
            """
    )

    @Argument(help: ArgumentHelp("The report file.", valueName: "report"))
    var path: String

    @Option(name: .customLong("as"), help: "Read it as csv, html or xml, whatever its name says.")
    var kind: String?

    @Option(help: "Output: csv, json, jsonl (one object per line) or text (aligned columns).")
    var format: ExtractCommand.Format = .csv

    @Option(help: "CSV field separator: , ; | or tab (detected when omitted).")
    var delimiter: String?

    @Option(help: "The file's encoding, when detection gets it wrong: utf-8 or windows-1252.")
    var encoding: String?

    @Flag(help: "CSV: keep rows whose field count differs from the header's (reported on standard error).")
    var allowRaggedRows = false

    @Flag(help: "CSV: the first line is data; columns are named column 1, column 2, ...")
    var noHeader = false

    @Flag(help: "CSV: trim spaces around fields.")
    var trim = false

    @Option(help: "HTML: the table to read (CSS, or xpath=...).")
    var table: String?

    @Option(help: "XML: the repeated record element, by name or XPath (//line). HTML: a selector for non-table records.")
    var record: String?

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "A field of each --record, NAME=SELECTOR relative to it (XML: XPath like @id or amount; HTML: CSS or xpath=); repeat for more.",
        valueName: "name=selector"))
    var fields: [String] = []

    @Option(help: "The largest file read, in megabytes.")
    var sizeLimit = 256

    func validate() throws {
        for field in fields where !field.contains("=") { throw ValidationError("--field takes NAME=SELECTOR, not '\(field)'.") }
        if !fields.isEmpty && record == nil { throw ValidationError("--field needs --record: the element each record is read from.") }
        if let kind, ReportFormat(rawValue: kind.lowercased()) == nil { throw ValidationError("--as takes csv, html or xml, not '\(kind)'.") }
        if let delimiter, Self.delimiter(delimiter) == nil { throw ValidationError("--delimiter takes one character (or 'tab'), not '\(delimiter)'.") }
        if let encoding, TextEncoding(label: encoding) == nil { throw ValidationError("Unknown encoding '\(encoding)': use utf-8 or windows-1252.") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let options = ReportOptions(
            delimiter: delimiter.flatMap(Self.delimiter), encoding: encoding.flatMap(TextEncoding.init(label:)), hasHeader: !noHeader,
            allowRaggedRows: allowRaggedRows, trimFields: trim, table: table, recordElement: record,
            fields: fields.isEmpty ? nil : fields.map { field in
                let parts = field.split(separator: "=", maxSplits: 1)
                return FieldSelector(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            },
            sizeLimit: sizeLimit * 1024 * 1024)
        let records = try ReportReader.read(path: path, format: kind.flatMap { ReportFormat(rawValue: $0.lowercased()) }, options: options)
        ExtractCommand.write(ExtractCommand.render(records, as: format))
        ExtractCommand.note("\(ExtractCommand.count(records.count, "record")), \(ExtractCommand.count(records.columns.count, "column")) from \(path) in "
            + ExtractCommand.seconds(since: start))
        if !records.raggedRows.isEmpty {
            let lines = records.raggedRows.prefix(20).map { "\($0.line) (\($0.fieldCount) fields)" }.joined(separator: ", ")
            ExtractCommand.note("\(ExtractCommand.count(records.raggedRows.count, "ragged row")) kept, at line \(lines)"
                + (records.raggedRows.count > 20 ? ", ..." : "") + "; the header has \(records.columns.count) fields")
        }
    }

    private static func delimiter(_ text: String) -> Character? {
        if text.lowercased() == "tab" || text == "\\t" { return "\t" }
        guard text.count == 1, let character = text.first, character.isASCII, character != "\"" else { return nil }
        return character
    }
}
