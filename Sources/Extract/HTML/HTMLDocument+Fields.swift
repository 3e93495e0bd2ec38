extension HTMLDocument {
    /// What ``fields(_:missing:)`` does when a field's selector matches nothing.
    public enum MissingField: Sendable, Hashable {
        /// Throw `.noMatch` naming every missing field (the default: a broken selector must not pass silently).
        case fail
        /// Give the field an empty string.
        case empty
        /// Leave the field out of the result.
        case omit
    }

    /// Named values from a detail page: each field's selector (CSS, or `xpath=`) picks the first match,
    /// whose normalised text is the value.
    ///
    ///     let invoice = try page.fields(["total": ".amount", "number": "#invoice-no", "pdf": "a.download::attr(href)"])
    ///     invoice["total"]   // "1 234.50"
    ///
    /// A selector that ends in `::attr(name)` (CSS) or `/@name` (XPath) gives the attribute's value.
    ///
    /// - Throws: `.noMatch` listing every field whose selector matched nothing (with `.fail`); the
    ///   selector's own error, prefixed with the field name, when it is invalid or too slow.
    public func fields(_ map: [String: String], missing: MissingField = .fail) throws(ExtractError) -> [String: String] {
        var values: [String: String] = [:]
        var absent: [String] = []
        var text = NodeText()
        for (name, selector) in map.sorted(by: { $0.key < $1.key }) {
            let match: HTMLNode?
            do {
                match = try node(selector)
            } catch {
                throw ExtractError(
                    code: error.code, subject: error.subject, message: "field `\(name)`: \(error.message)", line: error.line, column: error.column)
            }
            if let match {
                values[name] = text.normalized(match.pointer)
            } else {
                absent.append("\(name) (\(selector))")
                if missing == .empty { values[name] = "" }
            }
        }
        if missing == .fail && !absent.isEmpty {
            throw ExtractError(
                code: .noMatch, subject: origin,
                message: "no element matches the field\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", ")); the page may have "
                    + "changed: try the selectors on the saved page with `ferry extract FILE --field name=SELECTOR`")
        }
        return values
    }
}
