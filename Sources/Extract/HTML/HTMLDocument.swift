import CLibXML2
import Foundation

/// An HTML page parsed by libxml2's forgiving HTML parser, queried with XPath or CSS.
///
/// Legacy systems emit broken markup (unclosed tags, missing `tbody`, a `<meta charset>` that lies);
/// the parser recovers the way a browser would. It never touches the network, never loads a DTD or an
/// external entity, refuses documents over `sizeLimit` and documents nested deeper than libxml2's limit
/// (256 levels) rather than returning them truncated.
///
///     let page = try HTMLDocument(html: source, origin: "clinic/appointments")
///     let rows = try page.table("table#appointments")          // CSS, or "xpath=//table[1]"
///     let total = try page.fields(["total": ".amount"])["total"]
///
/// Encoding: a byte-order mark wins; bytes that are valid UTF-8 are read as UTF-8 whatever the page
/// declares; otherwise the declared encoding if libxml2 knows it, else Windows-1252 (see ``encoding``).
///
/// - Warning: A document is not thread-safe: use it from one thread at a time. Parsing a large page is
///   blocking work; keep it off Swift's cooperative thread pool.
///
/// Related libxml2 documentation: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html
public final class HTMLDocument {
    /// The largest document accepted; a bigger one is refused rather than parsed.
    public static let defaultSizeLimit = 50 * 1024 * 1024
    /// How long one query may run before it is stopped with `.queryTooSlow`.
    public static let defaultQueryBudget: Duration = .seconds(5)

    let pointer: htmlDocPtr
    /// Where the document came from, for error messages.
    public let origin: String
    /// The encoding the bytes were read in (`"UTF-8"`, `"windows-1252"`, or the page's declared one).
    public let encoding: String
    /// How long each query on this document may run; `.queryTooSlow` names the expression past it.
    public var queryBudget: Duration = HTMLDocument.defaultQueryBudget

    lazy var evaluator = XPathEvaluator(document: pointer)

    /// Parses HTML bytes; `encoding` forces an encoding instead of detecting it.
    public init(
        data: Data, origin: String = "document", sizeLimit: Int = HTMLDocument.defaultSizeLimit, encoding: TextEncoding? = nil
    ) throws(ExtractError) {
        guard data.count <= sizeLimit else { throw Self.tooLarge(data.count, sizeLimit, origin) }
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(ExtractError) in try Self.parse(bytes, forcing: encoding, origin: origin) }
        }
        (pointer, self.encoding) = try result.get()
        self.origin = origin
    }

    /// Parses HTML text, such as the page source a browser returns (already Unicode: `<meta charset>` is ignored).
    public init(html: String, origin: String = "document", sizeLimit: Int = HTMLDocument.defaultSizeLimit) throws(ExtractError) {
        var html = html
        let count = html.utf8.count
        guard count <= sizeLimit else { throw Self.tooLarge(count, sizeLimit, origin) }
        let result: Result<htmlDocPtr, ExtractError> = html.withUTF8 { bytes in
            Result { () throws(ExtractError) in try Self.parse(UnsafeRawBufferPointer(bytes), encoding: "UTF-8", origin: origin) }
        }
        pointer = try result.get()
        self.origin = origin
        self.encoding = "UTF-8"
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    private static func tooLarge(_ count: Int, _ limit: Int, _ origin: String) -> ExtractError {
        ExtractError(
            code: .documentTooLarge, subject: origin,
            message: "\(ByteCount(count)) is over the \(ByteCount(limit)) limit; read a smaller page (filter or paginate it) "
                + "or raise the size limit if the page is legitimately this big")
    }

    /// Detects the encoding, transcodes when libxml2 should not, and parses; returns the encoding used.
    private static func parse(
        _ bytes: UnsafeRawBufferPointer, forcing encoding: TextEncoding?, origin: String
    ) throws(ExtractError) -> (htmlDocPtr, String) {
        switch TextDecoding.prepare(bytes, forced: encoding, declared: DeclaredEncoding.html) {
        case .original(let offset, let name):
            return (try parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]), encoding: name, origin: origin), name)
        case .transcoded(let utf8, let source):
            let result = utf8.withUnsafeBytes { utf8 in
                Result { () throws(ExtractError) in try parse(utf8, encoding: "UTF-8", origin: origin) }
            }
            return (try result.get(), source.libxml2Name)
        }
    }

    /// Parses with libxml2, telling a depth-limit stop (refused) from ordinary recovered errors (accepted).
    private static func parse(_ bytes: UnsafeRawBufferPointer, encoding: String, origin: String) throws(ExtractError) -> htmlDocPtr {
        LibXML.prepare()
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count > 0 else {
            throw ExtractError(
                code: .unreadableDocument, subject: origin, message: "the document is empty (0 bytes); check that the page or file was saved completely")
        }
        guard bytes.count <= Int(Int32.max) else { throw tooLarge(bytes.count, Int(Int32.max), origin) }
        guard let context = htmlNewParserCtxt() else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "libxml2 could not allocate a parser (out of memory?)")
        }
        defer { htmlFreeParserCtxt(context) }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
                | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let document = htmlCtxtReadMemory(context, base, Int32(bytes.count), origin, encoding, options)
        let stopped = context.pointee.disableSAX != 0
        let message = context.pointee.lastError.message.map { String(cString: $0).trimmingASCIIWhitespace() } ?? ""
        guard let document else {
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "libxml2 could not parse it as HTML (\(message)); is it a web page?")
        }
        if stopped {
            xmlFreeDoc(document)
            if message.contains("depth") {
                throw ExtractError(
                    code: .documentTooDeep, subject: origin,
                    message: "elements are nested more than 256 deep (libxml2's limit), so the page was refused rather than "
                        + "read truncated; it is broken or hostile, save it again or ask the system's owners")
            }
            throw ExtractError(code: .unreadableDocument, subject: origin, message: "libxml2 stopped reading it: \(message)")
        }
        guard xmlDocGetRootElement(document) != nil else {
            xmlFreeDoc(document)
            throw ExtractError(
                code: .unreadableDocument, subject: origin,
                message: "the document is empty (no elements at all); check that the page or file was saved completely")
        }
        return document
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

    /// The elements a CSS selector of Ferry's subset matches (see ``CSSSelector``), in document order.
    public func select(css: String) throws(ExtractError) -> [HTMLNode] {
        let parsed = try ElementSelector(css: css)
        return try evaluatePointers(parsed.xpath, from: nil, selector: parsed).map { HTMLNode(document: self, pointer: $0) }
    }

    /// The first element a CSS selector matches.
    public func first(css: String) throws(ExtractError) -> HTMLNode? {
        try select(css: css).first
    }

    /// The nodes a Ferry selector matches: CSS by default, XPath with an `xpath=` prefix (or starting with `/`),
    /// the same syntax as the `selectors:` of a flow file.
    public func nodes(_ selector: String) throws(ExtractError) -> [HTMLNode] {
        let parsed = try ElementSelector(selector)
        return try evaluatePointers(parsed.xpath, from: nil, selector: parsed).map { HTMLNode(document: self, pointer: $0) }
    }

    /// The first node a Ferry selector matches.
    public func node(_ selector: String) throws(ExtractError) -> HTMLNode? {
        try firstPointer(ElementSelector(selector)).map { HTMLNode(document: self, pointer: $0) }
    }

    /// The first match, through libxml2's id table when the selector allows it.
    func firstPointer(_ selector: ElementSelector) throws(ExtractError) -> xmlNodePtr? {
        if let fast = selector.firstMatchXPath, let match = try evaluatePointers(fast, from: nil, selector: selector).first {
            return match
        }
        return try evaluatePointers(selector.xpath, from: nil, selector: selector).first
    }

    func evaluate(_ xpath: String, from context: xmlNodePtr?) throws(ExtractError) -> [HTMLNode] {
        try evaluatePointers(xpath, from: context).map { HTMLNode(document: self, pointer: $0) }
    }

    func evaluatePointers(_ xpath: String, from context: xmlNodePtr?, selector: ElementSelector? = nil) throws(ExtractError) -> [xmlNodePtr] {
        LibXML.prepare()
        return try evaluator.nodes(xpath, from: context, budget: queryBudget, selector: selector)
    }
}
