import CLibXML2

/// Element names packed into one integer, so hot loops compare a tag with one instruction instead of
/// building a `String` for each node.
///
/// libxml2's HTML parser stores names in lower case; names of up to 8 bytes pack exactly (little-endian),
/// longer ones get `ElementName.long`, which matches none of the constants.
enum ElementName {
    static let long: UInt64 = .max

    /// The packed form of a libxml2 name.
    @inline(__always)
    static func key(_ name: UnsafePointer<xmlChar>?) -> UInt64 {
        guard let name else { return 0 }
        var key: UInt64 = 0
        var index = 0
        while index < 8 {
            let byte = name[index]
            if byte == 0 { return key }
            key |= UInt64(byte) << (8 * UInt64(index))
            index += 1
        }
        return name[8] == 0 ? key : long
    }

    /// The packed form of a name written in Swift.
    static func key(_ name: StaticString) -> UInt64 {
        var key: UInt64 = 0
        name.withUTF8Buffer { bytes in
            for (index, byte) in bytes.prefix(8).enumerated() { key |= UInt64(byte) << (8 * UInt64(index)) }
        }
        return key
    }

    static let table = key("table")
    static let thead = key("thead")
    static let tbody = key("tbody")
    static let tfoot = key("tfoot")
    static let tr = key("tr")
    static let td = key("td")
    static let th = key("th")
    static let a = key("a")
    static let br = key("br")
    static let script = key("script")
    static let style = key("style")
    static let colspan = key("colspan")
    static let rowspan = key("rowspan")

    /// Elements that separate words when a person reads them (`<p>`, `<div>`, `<li>`, ...).
    static let blocks: Set<UInt64> = [
        key("p"), key("div"), key("li"), key("ul"), key("ol"), key("dl"), key("dt"), key("dd"), key("tr"), key("td"),
        key("th"), key("table"), key("hr"), key("h1"), key("h2"), key("h3"), key("h4"), key("h5"), key("h6"), key("pre"),
        key("section"), key("article"), key("header"), key("footer"), key("address"), key("caption"), key("option"),
    ]
}
