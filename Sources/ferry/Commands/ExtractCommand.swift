import ArgumentParser
import Extract
import Foundation
import Transport

/// `ferry extract PAGE`: try a selector on a saved page (or a URL) and see its records in a second.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print a table's records, named fields, or what a selector matches, from a saved page or a URL.",
        discussion: """
            Selectors are CSS by default (#id, .class, tag, [attr=value], [attr^=x], descendant and > \
            combinators, :nth-child(), ::attr(name)), or XPath with an xpath= prefix: the syntax of a flow \
            file's selectors. Records go to standard output; a one-line summary goes to standard error.

              ferry extract page.html                   (lists the tables, with selectors)
              ferry extract page.html --table 'table#appointments' --format text
              ferry extract page.html --table '#appointments' --follow-next
              ferry extract invoice.html --field total=.amount --field no=#number
              ferry extract page.html --select 'td.amount'

            A URL is fetched with a plain GET (no browser, no login); for pages behind a login, save the \
            page from the browser, or let a flow's extract step read it.
            """
    )

    /// How records are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, jsonl, text
    }

    @Argument(help: ArgumentHelp("A saved HTML page, or an http(s) URL.", valueName: "file-or-url"))
    var source: String

    @Option(help: "The table to read (CSS, or xpath=...).")
    var table: String?

    @Option(name: .customLong("field"), help: ArgumentHelp("A named field, NAME=SELECTOR; repeat for more.", valueName: "name=selector"))
    var fields: [String] = []

    @Option(help: "Print the text of every node this selector matches.")
    var select: String?

    @Option(help: "Output: csv, json, jsonl (one object per line) or text (aligned columns).")
    var format: Format = .csv

    @Option(help: "Header rows: auto (thead, th rows, else the first row), first, none, or a number of rows.")
    var header = "auto"

    @Flag(help: "Also read the table on every following page (via the next link).")
    var followNext = false

    @Option(help: "The next link's selector for --follow-next (found automatically when omitted: rel=next, 'Next', page numbers).")
    var next: String?

    @Option(help: "The most pages --follow-next reads.")
    var maxPages = 50

    @Option(help: "Seconds one query may run before it is stopped.")
    var budget: Double = 5

    @Option(help: "The page's encoding, when detection gets it wrong: utf-8 or windows-1252.")
    var encoding: String?

    func validate() throws {
        let modes = [table != nil, !fields.isEmpty, select != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("Give one of --table, --field or --select.") }
        if followNext && table == nil { throw ValidationError("--follow-next reads a table: give --table too.") }
        if let encoding, TextEncoding(label: encoding) == nil { throw ValidationError("Unknown encoding '\(encoding)': use utf-8 or windows-1252.") }
        for field in fields where !field.contains("=") { throw ValidationError("--field takes NAME=SELECTOR, not '\(field)'.") }
        if budget <= 0 { throw ValidationError("--budget must be a positive number of seconds.") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let url = Self.url(for: source)
        let page = try load(url)
        if let table {
            let options = try Self.tableOptions(header)
            var records: RecordSet
            var pages = 1
            if followNext {
                var first: HTMLDocument? = page
                let result = try PaginatedTable.read(
                    table, from: url, options: options, pagination: Pagination(nextSelector: next, maxPages: maxPages)
                ) { pageURL in
                    if let loaded = first {
                        first = nil
                        return loaded
                    }
                    return try load(pageURL)
                }
                records = result.records
                pages = result.pages.count
            } else {
                records = try page.table(table, options: options)
            }
            Self.write(Self.render(records, as: format))
            Self.note("\(Self.count(records.count, "record")), \(Self.count(records.columns.count, "column")) from \(table)"
                + (pages > 1 ? " over \(pages) pages" : "") + " in \(Self.seconds(since: start))")
        } else if !fields.isEmpty {
            var map: [String: String] = [:]
            var names: [String] = []
            for field in fields {
                let parts = field.split(separator: "=", maxSplits: 1)
                let name = String(parts[0])
                map[name] = parts.count > 1 ? String(parts[1]) : ""
                if !names.contains(name) { names.append(name) }
            }
            let values = try page.fields(map)
            Self.write(Self.render(RecordSet(columns: names, rows: [names.map { values[$0] ?? "" }]), as: format))
        } else if let select {
            let nodes = try page.nodes(select)
            Self.write(Self.render(RecordSet(columns: ["node", "text"], rows: nodes.map { [$0.name, $0.normalizedText] }), as: format))
            Self.note(nodes.count == 1 ? "1 match for \(select)" : "\(nodes.count) matches for \(select)")
        } else {
            let summaries = page.tableSummaries()
            if summaries.isEmpty { print("No tables on \(source).") }
            for summary in summaries {
                let cut: (String) -> String = { $0.count > 24 ? String($0.prefix(23)) + "…" : $0 }
                let columns = summary.columns.prefix(8).map(cut).joined(separator: ", ") + (summary.columns.count > 8 ? ", ..." : "")
                let notes = [summary.isNested ? "inside another table" : nil, summary.containsTables ? "holds other tables: layout?" : nil]
                    .compactMap { $0 }
                print("\(summary.index). \(summary.selector)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
                print("   \(summary.rowCount) record\(summary.rowCount == 1 ? "" : "s"); columns: \(columns.isEmpty ? "none" : columns)")
            }
            let data = summaries.filter { !$0.containsTables }.max { $0.rowCount < $1.rowCount } ?? summaries.first
            if let data {
                print("\nRead one with: ferry extract \(source) --table '\(data.selector.split(separator: " ")[0])' --format text")
            }
        }
    }

    /// Reads and parses a page: a local file (`file://` too), or an http(s) URL with one GET.
    private func load(_ url: URL) throws -> HTMLDocument {
        let forced = encoding.flatMap(TextEncoding.init(label:))
        let document: HTMLDocument
        if url.isFileURL {
            guard url.query == nil, FileManager.default.fileExists(atPath: url.path) else {
                throw ExtractError(
                    code: .unreadableFile, subject: url.absoluteString,
                    message: "no such saved page; save every page as a file, or give the site's http(s) URL")
            }
            let data = try Data(contentsOf: url)
            document = try HTMLDocument(data: data, origin: url.path, encoding: forced)
        } else {
            let response = try CurlTransport(timeout: .seconds(60)).sendBlocking(HTTPRequest(url: url.absoluteString))
            guard (200..<300).contains(response.status) else {
                throw ExtractError(
                    code: .unreadableDocument, subject: url.absoluteString,
                    message: "the server answered HTTP \(response.status); check the URL, or save the page from the browser")
            }
            document = try HTMLDocument(data: response.body, origin: url.absoluteString, encoding: forced)
        }
        document.queryBudget = .milliseconds(Int64(budget * 1000))
        return document
    }

    static func url(for source: String) -> URL {
        if source.hasPrefix("http://") || source.hasPrefix("https://") || source.hasPrefix("file://"), let url = URL(string: source) { return url }
        return URL(fileURLWithPath: source)
    }

    static func tableOptions(_ header: String) throws -> TableOptions {
        switch header.lowercased() {
        case "auto": return TableOptions(header: .auto)
        case "first": return TableOptions(header: .firstRow)
        case "none": return TableOptions(header: .none)
        default:
            guard let rows = Int(header), rows >= 0 else { throw ValidationError("--header takes auto, first, none or a number, not '\(header)'.") }
            return TableOptions(header: .rows(rows))
        }
    }

    /// Records as text in one of the output formats, ending with a line break.
    static func render(_ records: RecordSet, as format: Format) -> String {
        switch format {
        case .csv: return CSVWriter(lineEnding: "\n").string(records)
        case .json: return records.json() + "\n"
        case .jsonl: return records.isEmpty ? "" : records.jsonLines() + "\n"
        case .text: return aligned(records)
        }
    }

    /// Columns padded to their widest value (cut at 40 characters), for reading in a terminal.
    private static func aligned(_ records: RecordSet) -> String {
        let limit = 40
        let cut: (String) -> String = { $0.count > limit ? String($0.prefix(limit - 1)) + "…" : $0 }
        let table = [records.columns.map(cut)] + records.rows.map { $0.map { cut(oneLine($0)) } }
        var widths = [Int](repeating: 0, count: records.columns.count)
        for row in table {
            for (index, value) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], value.count) }
        }
        var output = ""
        for (number, row) in table.enumerated() {
            let cells = row.enumerated().map { index, value in
                index < widths.count ? value + String(repeating: " ", count: widths[index] - value.count) : value
            }
            var text = cells.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            output += text + "\n"
            if number == 0 { output += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return output
    }

    /// Line breaks and tabs as spaces, so a multi-line cell keeps the columns aligned.
    private static func oneLine(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\t" ? " " : $0 }))
    }

    /// "1 record", "2 records".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// A line for the person at the terminal, on standard error so it never mixes with piped records.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        return String(format: "%.2f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
