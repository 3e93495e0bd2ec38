import Foundation

/// Reads a downloaded report (CSV, HTML or XML) into records.
///
///     let appointments = try ReportReader.read(path: "downloads/appointments.csv")
///     let billing = try ReportReader.read(path: "billing.xls", options: .init(table: "table.report"))
///
/// The format comes from `format`, else the file's extension, else its first bytes (so an "Excel"
/// export that is really HTML reads as HTML). Reading is synchronous and blocking: call it from a
/// thread of your own for large files.
public enum ReportReader {
    public static func read(path: String, format: ReportFormat? = nil, options: ReportOptions = ReportOptions()) throws(ExtractError) -> RecordSet {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if let size, size > options.sizeLimit {
            throw ExtractError(
                code: .documentTooLarge, subject: path,
                message: "\(ByteCount(size)) is over the \(ByteCount(options.sizeLimit)) limit; raise the size limit if the report is legitimately this big")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it could not be read (check its permissions)" : "there is no such file"
            throw ExtractError(code: .unreadableFile, subject: path, message: "\(reason); check the path and that the download finished")
        }
        return try read(data: data, origin: path, format: format, options: options)
    }

    /// Reads a report already in memory; `origin` names it in errors and helps infer the format.
    public static func read(
        data: Data, origin: String, format: ReportFormat? = nil, options: ReportOptions = ReportOptions()
    ) throws(ExtractError) -> RecordSet {
        guard data.count <= options.sizeLimit else {
            throw ExtractError(
                code: .documentTooLarge, subject: origin,
                message: "\(ByteCount(data.count)) is over the \(ByteCount(options.sizeLimit)) limit; raise the size limit if the report is legitimately this big")
        }
        let resolved: Result<ReportFormat, ExtractError> = data.withUnsafeBytes { bytes in
            Result { () throws(ExtractError) in
                if let format { return format }
                return try ReportFormat.infer(path: origin, bytes: bytes)
            }
        }
        switch try resolved.get() {
        case .csv:
            return try CSVReader(options: options).read(data: data, origin: origin)
        case .html:
            return try HTMLReportReader(options: options).read(data: data, origin: origin)
        case .xml:
            return try XMLReportReader(options: options).read(data: data, origin: origin)
        }
    }
}
