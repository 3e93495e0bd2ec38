/// A named field and the selector that finds its value inside each record (a row, a list item, an
/// XML element).
///
///     [FieldSelector("invoice", "@invoice"), FieldSelector("amount", "amount")]      // XML: XPath
///     [FieldSelector("patient", ".name"), FieldSelector("link", "a::attr(href)")]    // HTML: CSS or xpath=
public struct FieldSelector: Sendable, Hashable {
    public var name: String
    public var selector: String

    public init(_ name: String, _ selector: String) {
        self.name = name
        self.selector = selector
    }
}
