import CLibXML2

/// Reads the text a person sees in an element straight from libxml2's tree, collapsing whitespace.
///
/// Runs of whitespace, including non-breaking spaces (`&nbsp;`) and the other Unicode spaces, become one
/// space; leading and trailing whitespace goes. `<br>` and block elements (`<p>`, `<div>`, `<li>`)
/// separate words, so `A<br>B` reads "A B", not "AB". `<script>` and `<style>` are skipped. Entity
/// references are never followed (an XML document's `&lol9;` stays inert).
///
/// The walk is iterative (deep documents cannot overflow the stack) and writes bytes into one reusable
/// buffer, so a table of 170,000 cells makes one short `String` per cell and nothing else.
struct NodeText {
    private var buffer: [UInt8] = []
    private var pendingSpace = false

    init() {
        buffer.reserveCapacity(256)
    }

    /// The normalised text inside `node` (its own text for a text or attribute node).
    mutating func normalized(_ node: xmlNodePtr) -> String {
        buffer.removeAll(keepingCapacity: true)
        pendingSpace = false
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            append(node.pointee.content)
        case XML_ATTRIBUTE_NODE:
            collect(children: node.pointee.children, within: node)
        case XML_ELEMENT_NODE, XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE:
            collect(children: node.pointee.children, within: node)
        default:
            append(node.pointee.content)
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The text inside `node` as written, whitespace kept, ends trimmed: for XML data, where line breaks
    /// may matter. Entity references a document declares itself appear as `&name;`, never expanded.
    mutating func raw(_ node: xmlNodePtr) -> String {
        buffer.removeAll(keepingCapacity: true)
        if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
            appendRaw(node.pointee.content)
        } else {
            var current = node.pointee.children
            while let child = current {
                switch child.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    appendRaw(child.pointee.content)
                case XML_ENTITY_REF_NODE:
                    buffer.append(UInt8(ascii: "&"))
                    appendRaw(child.pointee.name)
                    buffer.append(UInt8(ascii: ";"))
                case XML_ELEMENT_NODE:
                    if let grandchild = child.pointee.children {
                        current = grandchild
                        continue
                    }
                default:
                    break
                }
                var up: xmlNodePtr? = child
                current = nil
                while let step = up, step != node {
                    if let next = step.pointee.next {
                        current = next
                        break
                    }
                    up = step.pointee.parent
                }
            }
        }
        var start = 0
        var end = buffer.count
        while start < end, Self.isASCIISpace(buffer[start]) { start += 1 }
        while end > start, Self.isASCIISpace(buffer[end - 1]) { end -= 1 }
        return String(decoding: buffer[start..<end], as: UTF8.self)
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private mutating func appendRaw(_ text: UnsafePointer<xmlChar>?) {
        guard let text else { return }
        var index = 0
        while text[index] != 0 {
            buffer.append(text[index])
            index += 1
        }
    }

    private mutating func collect(children first: xmlNodePtr?, within root: xmlNodePtr) {
        var current = first
        while let node = current {
            var descend = false
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                append(node.pointee.content)
            case XML_ELEMENT_NODE:
                let key = ElementName.key(node.pointee.name)
                if key == ElementName.br {
                    separate()
                } else if key != ElementName.script && key != ElementName.style {
                    if ElementName.blocks.contains(key) { separate() }
                    descend = node.pointee.children != nil
                }
            default:
                break  // comments, processing instructions, entity references: not text a person reads
            }
            if descend {
                current = node.pointee.children
                continue
            }
            // Next sibling, or climb until an ancestor below `root` has one.
            var climbing: xmlNodePtr? = node
            current = nil
            while let up = climbing, up != root {
                if let next = up.pointee.next {
                    current = next
                    break
                }
                climbing = up.pointee.parent
                if let parent = climbing, parent != root, parent.pointee.type == XML_ELEMENT_NODE,
                    ElementName.blocks.contains(ElementName.key(parent.pointee.name))
                {
                    separate()
                }
            }
        }
    }

    @inline(__always)
    private mutating func separate() {
        if !buffer.isEmpty { pendingSpace = true }
    }

    /// Appends UTF-8 text, turning each whitespace run into a pending space. Runs of other bytes are
    /// copied in one go.
    private mutating func append(_ text: UnsafePointer<xmlChar>?) {
        guard let text else { return }
        var index = 0
        var runStart = 0
        while true {
            let byte = text[index]
            if byte > 0x20 && byte < 0x80 {  // printable ASCII: the common case
                index += 1
                continue
            }
            if byte == 0 {
                flush(text, from: runStart, to: index)
                return
            }
            let spaceLength = Self.spaceLength(text, at: index)
            if spaceLength == 0 {
                index += 1
                continue
            }
            flush(text, from: runStart, to: index)
            if !buffer.isEmpty { pendingSpace = true }
            index += spaceLength
            runStart = index
        }
    }

    @inline(__always)
    private mutating func flush(_ text: UnsafePointer<xmlChar>, from start: Int, to end: Int) {
        guard end > start else { return }
        if pendingSpace {
            buffer.append(0x20)
            pendingSpace = false
        }
        buffer.append(contentsOf: UnsafeBufferPointer(start: text + start, count: end - start))
    }

    /// The length of the whitespace character at `index` (0 when it is not whitespace). The text is
    /// NUL-terminated, so looking one or two bytes ahead never reads past it.
    @inline(__always)
    private static func spaceLength(_ text: UnsafePointer<xmlChar>, at index: Int) -> Int {
        switch text[index] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
            return 1
        case 0xC2:
            let next = text[index + 1]
            return next == 0xA0 || next == 0x85 ? 2 : 0  // U+00A0 no-break space, U+0085 next line
        case 0xE1:
            return text[index + 1] == 0x9A && text[index + 2] == 0x80 ? 3 : 0  // U+1680
        case 0xE2:
            let second = text[index + 1]
            if second == 0x80 {
                let third = text[index + 2]
                // U+2000–U+200A spaces, U+2028/2029 separators, U+202F narrow no-break space
                return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
            }
            return second == 0x81 && text[index + 2] == 0x9F ? 3 : 0  // U+205F medium mathematical space
        case 0xE3:
            return text[index + 1] == 0x80 && text[index + 2] == 0x80 ? 3 : 0  // U+3000 ideographic space
        default:
            return 0
        }
    }
}
