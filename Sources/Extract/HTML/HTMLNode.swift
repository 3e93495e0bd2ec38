import CLibXML2

/// A node of an ``HTMLDocument`` (an element, or a text or attribute node an XPath selected); it keeps
/// its document alive.
public struct HTMLNode {
    let document: HTMLDocument
    let pointer: xmlNodePtr

    /// The element's tag name in lower case (`td`), `text` for a text node, the name of an attribute node.
    public var name: String {
        pointer.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// Whether the node is an element (not text, an attribute or a comment).
    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }

    /// All text inside the node, as the browser would concatenate it (not trimmed).
    public var text: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { ferry_xml_free(content) }
        return String(cString: content)
    }

    /// The text with runs of whitespace (including non-breaking spaces) collapsed to one space and trimmed,
    /// which is what a person reads in a table cell; `<br>` and block elements separate words.
    public var normalizedText: String {
        var reader = NodeText()
        return reader.normalized(pointer)
    }

    /// The value of an attribute, or `nil` when the element does not have it.
    public func attribute(_ name: String) -> String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE, let value = xmlGetProp(pointer, name) else { return nil }
        defer { ferry_xml_free(value) }
        return String(cString: value)
    }

    /// The element's attributes, in document order.
    public var attributes: [(name: String, value: String)] {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return [] }
        var result: [(name: String, value: String)] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let content = xmlNodeListGetString(document.pointer, current.pointee.children, 1) {
                value = String(cString: content)
                ferry_xml_free(content)
            }
            result.append((name, value))
            attribute = current.pointee.next
        }
        return result
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

    /// The parent element, or `nil` at the root.
    public var parent: HTMLNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(document: document, pointer: parent)
    }

    /// The node serialised as HTML, for showing a maintainer what a selector matched.
    public var outerHTML: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        _ = htmlNodeDump(buffer, document.pointer, pointer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// The nodes an XPath expression selects with this node as the context node (`./td`, `.//a`).
    public func select(_ xpath: String) throws(ExtractError) -> [HTMLNode] {
        try document.evaluate(xpath, from: pointer)
    }

    /// The elements inside this one that a CSS selector matches.
    public func select(css: String) throws(ExtractError) -> [HTMLNode] {
        let parsed = try ElementSelector(css: css)
        return try document.evaluatePointers(parsed.xpath, from: pointer, selector: parsed).map { HTMLNode(document: document, pointer: $0) }
    }

    /// The nodes inside this one that a Ferry selector (CSS, or `xpath=`) matches.
    public func nodes(_ selector: String) throws(ExtractError) -> [HTMLNode] {
        let parsed = try ElementSelector(selector)
        return try document.evaluatePointers(parsed.xpath, from: pointer, selector: parsed).map { HTMLNode(document: document, pointer: $0) }
    }
}
