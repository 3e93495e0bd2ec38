/// The character encodings Ferry reads reports and pages in.
///
/// Legacy systems write UTF-8 or Windows-1252 (often while claiming ISO-8859-1, which browsers read as
/// Windows-1252 too, as the WHATWG Encoding Standard says). When nothing is said, Ferry detects:
/// a byte-order mark wins; bytes that are valid UTF-8 are UTF-8; otherwise Windows-1252.
///
/// Related specification: https://encoding.spec.whatwg.org/#names-and-labels
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"

    /// The encoding a label names (`"UTF-8"`, `"cp1252"`, `"latin1"`, `"ISO-8859-1"`), or `nil`.
    public init?(label: String) {
        let label = label.trimmingASCIIWhitespace().lowercased()
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",
            "us-ascii", "ascii", "iso-ir-100", "csisolatin1":
            self = .windows1252
        case "utf-16le", "utf-16": self = .utf16LittleEndian
        case "utf-16be": self = .utf16BigEndian
        default: return nil
        }
    }

    /// The name libxml2 knows the encoding by.
    var libxml2Name: String {
        switch self {
        case .utf8: "UTF-8"
        case .windows1252: "windows-1252"
        case .utf16LittleEndian: "UTF-16LE"
        case .utf16BigEndian: "UTF-16BE"
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (no Foundation needed).
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
