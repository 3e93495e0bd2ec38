/// A Swift string written as an XPath 1.0 string literal.
///
/// XPath 1.0 has no escapes: a value with `'` is quoted with `"`, and one with both is built with
/// `concat()`. Characters XML forbids (control characters) cannot occur in a document, so they are
/// written as U+FFFD, which keeps the expression valid and the comparison false.
enum XPathLiteral {
    static func quote(_ raw: String) -> String {
        let value = String(String.UnicodeScalarView(raw.unicodeScalars.map { scalar in
            let v = scalar.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF)
            return allowed ? scalar : "\u{FFFD}"
        }))
        if !value.contains("'") { return "'\(value)'" }
        if !value.contains("\"") { return "\"\(value)\"" }
        let parts = value.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }
        return "concat(" + parts.joined(separator: ", \"'\", ") + ")"
    }
}
