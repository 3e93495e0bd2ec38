import Foundation

/// Reads an HTML report file (a saved page, or an "Excel" export that is really HTML) into records.
///
/// With ``ReportOptions/table`` set, that table; with ``ReportOptions/recordElement`` and
/// ``ReportOptions/fields``, those repeated elements (see ``HTMLDocument/records(rows:fields:)``);
/// otherwise the table with the most rows of its own (the data, not the layout table wrapped around it,
/// nor a small summary above it).
public struct HTMLReportReader: Sendable {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    public func read(data: Data, origin: String = "report.html") throws(ExtractError) -> RecordSet {
        let document = try HTMLDocument(data: data, origin: origin, sizeLimit: options.sizeLimit, encoding: options.encoding)
        if let selector = options.table { return try document.table(selector, options: options.tableOptions) }
        if let rows = options.recordElement {
            return try document.records(rows: rows, fields: options.fields ?? [])
        }
        let tables = try document.evaluatePointers("descendant::table", from: nil)
        guard let best = tables.max(by: { TableReader.rows(of: $0).count < TableReader.rows(of: $1).count }) else {
            throw ExtractError(
                code: .noMatch, subject: origin,
                message: "the report has no <table>; check that the download is the report and not an error or login page")
        }
        var reader = TableReader(options: options.tableOptions, origin: origin)
        return try reader.read(best)
    }
}
