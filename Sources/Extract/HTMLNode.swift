import CLibXML2

/// A node of an ``HTMLDocument``; it keeps its document alive.
public struct HTMLNode {
    let document: HTMLDocument
    let pointer: xmlNodePtr

    /// The element's tag name in lower case (`td`), or `text` for a text node.
    public var name: String {
        pointer.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// All text inside the node, as the browser would concatenate it (not trimmed).
    public var text: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { ferry_xml_free(content) }
        return String(cString: content)
    }

    /// The text with runs of whitespace (including non-breaking spaces) collapsed to one space and trimmed,
    /// which is what a person reads in a table cell.
    public var normalizedText: String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" }).joined(separator: " ")
    }

    /// The value of an attribute, or `nil` when the element does not have it.
    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(pointer, name) else { return nil }
        defer { ferry_xml_free(value) }
        return String(cString: value)
    }

    /// The child elements, skipping text and comments.
    public var children: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(HTMLNode(document: document, pointer: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// The nodes an XPath expression selects with this node as the context node (`./td`, `.//a`).
    public func select(_ xpath: String) throws(ExtractError) -> [HTMLNode] {
        try document.evaluate(xpath, from: pointer)
    }
}
