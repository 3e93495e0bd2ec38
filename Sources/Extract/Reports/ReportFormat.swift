/// The kinds of downloaded report Ferry reads.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Comma-, semicolon- or tab-separated values (RFC 4180).
    case csv
    /// An HTML page or file holding a table (including "Excel" exports that are HTML named `.xls`).
    case html
    /// An XML export: repeated elements, one per record.
    case xml

    /// The format a file's name says, when it says one clearly.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv", "tsv", "tab": self = .csv
        case "html", "htm", "xhtml": self = .html
        case "xml": self = .xml
        default: return nil
        }
    }

    /// The format of a report, from its name, else from its first bytes.
    static func infer(path: String, bytes: UnsafeRawBufferPointer) throws(ExtractError) -> ReportFormat {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let pathExtension = name.contains(".") ? String(name.split(separator: ".").last ?? "") : ""
        if let format = ReportFormat(pathExtension: pathExtension) { return format }
        if bytes.count >= 4, bytes[0] == 0xD0, bytes[1] == 0xCF, bytes[2] == 0x11, bytes[3] == 0xE0 {
            throw ExtractError(
                code: .unsupportedFormat, subject: path, message: "this is a binary Excel workbook (.xls); export the report as CSV instead")
        }
        if bytes.count >= 2, bytes[0] == 0x50, bytes[1] == 0x4B {
            throw ExtractError(
                code: .unsupportedFormat, subject: path,
                message: "this is a zip archive (an .xlsx workbook or a compressed export); export the report as CSV instead")
        }
        // Sniff the start, after a byte-order mark and whitespace.
        var start = TextDecoding.byteOrderMark(bytes)?.1 ?? 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
        guard start < bytes.count, bytes[start] == UInt8(ascii: "<") else { return .csv }
        let head = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + 1024)]), as: UTF8.self).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") || head.contains("<table") || head.contains("<body") { return .html }
        return .xml
    }
}
