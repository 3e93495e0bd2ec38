import CLibXML2
import Foundation

/// An HTML page parsed by libxml2's forgiving HTML parser, queried with XPath.
///
/// Legacy systems emit broken markup (unclosed tags, missing `tbody`); the parser recovers the way a
/// browser would. It never touches the network and never expands external entities.
///
///     let page = try HTMLDocument(html: source, origin: "clinic/appointments")
///     let rows = try page.select("//table[@id='appointments']//tr")
///
/// Related libxml2 documentation: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html
public final class HTMLDocument {
    /// The largest document accepted; a bigger one is refused rather than parsed.
    public static let defaultSizeLimit = 50 * 1024 * 1024

    let pointer: htmlDocPtr
    /// Where the document came from, for error messages.
    public let origin: String

    /// Parses UTF-8 (or meta-declared) HTML bytes.
    public init(data: Data, origin: String = "document", sizeLimit: Int = HTMLDocument.defaultSizeLimit) throws(ExtractError) {
        guard data.count <= sizeLimit else {
            throw ExtractError(
                code: .documentTooLarge, subject: origin,
                message: "\(data.count) bytes is over the \(sizeLimit)-byte limit; raise the limit or read a smaller page")
        }
        HTMLDocument.prepareLibXML()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed: htmlDocPtr? = data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlReadMemory(base, Int32(bytes.count), origin, nil, options)
        }
        guard let parsed else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "libxml2 could not parse it as HTML (is it empty?)")
        }
        self.pointer = parsed
        self.origin = origin
    }

    /// Parses HTML text.
    public convenience init(html: String, origin: String = "document") throws(ExtractError) {
        try self.init(data: Data(html.utf8), origin: origin)
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    private static let initialization: Void = xmlInitParser()

    /// libxml2 keeps its error handler per thread: install the silent one on the calling thread.
    static func prepareLibXML() {
        HTMLDocument.initialization
        ferry_xml_install_silent_handlers()
    }

    /// The document's root element (`html`), if it has one.
    public var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map { HTMLNode(document: self, pointer: $0) }
    }

    /// The nodes an XPath expression selects, in document order.
    public func select(_ xpath: String) throws(ExtractError) -> [HTMLNode] {
        try evaluate(xpath, from: nil)
    }

    /// The first node an XPath expression selects.
    public func first(_ xpath: String) throws(ExtractError) -> HTMLNode? {
        try select(xpath).first
    }

    func evaluate(_ xpath: String, from context: xmlNodePtr?) throws(ExtractError) -> [HTMLNode] {
        HTMLDocument.prepareLibXML()
        guard let xpathContext = xmlXPathNewContext(pointer) else {
            throw ExtractError(code: .invalidXPath, subject: xpath, message: "libxml2 could not create an XPath context")
        }
        defer { xmlXPathFreeContext(xpathContext) }
        if let context { xpathContext.pointee.node = context }
        guard let result = xmlXPathEvalExpression(xpath, xpathContext) else {
            throw ExtractError(code: .invalidXPath, subject: xpath, message: "not a valid XPath 1.0 expression")
        }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        let count = Int(set.pointee.nodeNr)
        var nodes: [HTMLNode] = []
        nodes.reserveCapacity(count)
        for index in 0..<count {
            if let node = set.pointee.nodeTab[index] { nodes.append(HTMLNode(document: self, pointer: node)) }
        }
        return nodes
    }
}
