import CLibXML2

/// Runs XPath 1.0 expressions on one libxml2 document, each within a time budget.
///
/// One evaluator holds one reusable `xmlXPathContext`; like the document, it is used from one thread at
/// a time. Expressions are compiled first, so a syntax error (`.invalidXPath`) is told apart from an
/// evaluation stopped by the budget (`.queryTooSlow`).
///
/// Related libxml2 documentation: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-xpath.html
final class XPathEvaluator {
    private let document: xmlDocPtr
    private var context: xmlXPathContextPtr?
    /// Compiled expressions, so a field evaluated on 10,000 records is compiled once.
    private var compiled: [String: xmlXPathCompExprPtr] = [:]
    private static let compiledLimit = 64

    init(document: xmlDocPtr) {
        self.document = document
    }

    deinit {
        for expression in compiled.values { xmlXPathFreeCompExpr(expression) }
        if let context { xmlXPathFreeContext(context) }
    }

    /// The nodes `expression` selects from `node` (the document when `nil`), in document order.
    /// A result that is not a node set (a number, a string) selects nothing.
    /// `selector` is what the maintainer wrote, when the expression was compiled from it (for error messages).
    func nodes(
        _ expression: String, from node: xmlNodePtr?, budget: Duration, selector: ElementSelector? = nil
    ) throws(ExtractError) -> [xmlNodePtr] {
        let context = try preparedContext(expression)
        context.pointee.node = node ?? UnsafeMutableRawPointer(document).assumingMemoryBound(to: xmlNode.self)
        let compiled = try compile(expression, in: context)

        let ticket = QueryWatchdog.shared.arm(context, budget: budget)
        let result = xmlXPathCompiledEval(compiled, context)
        let interrupted = QueryWatchdog.shared.disarm(ticket)
        guard let result else {
            if interrupted || context.pointee.lastError.code == ferry_xpath_op_limit_error_code() {
                if let selector, selector.kind == .css {
                    throw ExtractError(
                        code: .queryTooSlow, subject: selector.source,
                        message: "stopped after its \(Self.format(budget)) budget (as XPath: \(expression)). On a page this big, `~` and a "
                            + "repeating :nth-child() before a descendant combinator look at every sibling of every candidate; "
                            + "use `>` after it (`tr:nth-child(odd) > td`) or a narrower selector")
                }
                throw ExtractError(
                    code: .queryTooSlow, subject: selector?.source ?? expression,
                    message: "stopped after its \(Self.format(budget)) budget. libxml2 slows down sharply on `//` steps taken "
                        + "from many nodes (`td//text()`); anchor the query instead, e.g. `//table[@id='x']/tbody/tr/td`, "
                        + "or use a CSS selector, which Ferry compiles to fast XPath")
            }
            throw ExtractError(
                code: .invalidXPath, subject: expression,
                message: "libxml2 could not evaluate it\(Self.detail(context)); check the function names and arguments")
        }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval, set.pointee.nodeNr > 0 else { return [] }
        let count = Int(set.pointee.nodeNr)
        return [xmlNodePtr](unsafeUninitializedCapacity: count) { buffer, initialized in
            var written = 0
            for index in 0..<count {
                if let node = set.pointee.nodeTab[index] {
                    buffer[written] = node
                    written += 1
                }
            }
            initialized = written
        }
    }

    private func compile(_ expression: String, in context: xmlXPathContextPtr) throws(ExtractError) -> xmlXPathCompExprPtr {
        if let cached = compiled[expression] { return cached }
        guard let fresh = xmlXPathCtxtCompile(context, expression) else {
            throw ExtractError(
                code: .invalidXPath, subject: expression,
                message: "not a valid XPath 1.0 expression\(Self.detail(context)); check brackets and quotes")
        }
        if compiled.count >= Self.compiledLimit {
            for expression in compiled.values { xmlXPathFreeCompExpr(expression) }
            compiled.removeAll()
        }
        compiled[expression] = fresh
        return fresh
    }

    private func preparedContext(_ expression: String) throws(ExtractError) -> xmlXPathContextPtr {
        if let context {
            xmlResetError(&context.pointee.lastError)
            context.pointee.contextSize = -1
            context.pointee.proximityPosition = -1
            return context
        }
        guard let created = xmlXPathNewContext(document) else {
            throw ExtractError(code: .invalidXPath, subject: expression, message: "libxml2 could not create an XPath context (out of memory?)")
        }
        ferry_xpath_silence(created)
        context = created
        return created
    }

    private static func detail(_ context: xmlXPathContextPtr) -> String {
        guard let message = context.pointee.lastError.message else { return "" }
        let text = String(cString: message).trimmingASCIIWhitespace()
        return text.isEmpty ? "" : " (libxml2: \(text.prefix(1).lowercased() + text.dropFirst()))"
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if seconds >= 1 { return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\((seconds * 10).rounded() / 10) s" }
        return "\(Int((seconds * 1000).rounded())) ms"
    }
}
