/// Text made safe to place in HTML (between tags or in a quoted attribute) or in XML.
///
/// Escaping works one Unicode scalar at a time, never one `Character`: a grapheme cluster can hide a
/// `<` or a `"` (U+0600 followed by `<` is one Character, so is `"` followed by U+0301), and a
/// per-Character escaper lets it through. NUL and the bidirectional overrides and isolates (which can
/// make a reason read backwards) are shown as U+FFFD.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(isHidden(scalar) ? replacement : scalar)
            }
        }
        return String(escaped)
    }

    /// For XML 1.0 text and attribute values (the JUnit file): escaped like HTML, and the scalars XML
    /// does not allow (control characters other than tab and line breaks, U+FFFE, U+FFFF) shown as
    /// U+FFFD, so a CI server's parser does not reject the whole file. Line breaks in attributes are
    /// written as character references so they survive attribute normalisation.
    public static func xml(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in escape(text).unicodeScalars {
            switch scalar.value {
            case 0x0A: escaped.append(contentsOf: "&#10;".unicodeScalars)
            case 0x0D: escaped.append(contentsOf: "&#13;".unicodeScalars)
            case 0x09: escaped.append(contentsOf: "&#9;".unicodeScalars)
            case 0x00...0x1F, 0x7F, 0xFFFE, 0xFFFF: escaped.append(replacement)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// The Content-Security-Policy of Ferry's own report pages, which are opened from disk or a mail
    /// where no server sends headers: their inline style and embedded screenshots, and nothing else
    /// (no script, no form, no request anywhere, no refresh to another site through a planted meta tag
    /// is possible, since every value is escaped; the policy is the second wall).
    public static let reportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

    static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// NUL, and the scalars that reorder text on screen (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
