import CLibXML2
import Foundation

extension HTMLDocument {
    /// The URL of the page after this one in a paginated list, or `nil` on the last page.
    ///
    /// Looked for in this order:
    /// 1. `nextSelector` (CSS or `xpath=`), when given: its first match's link. No match means last page.
    /// 2. A link with `rel="next"` (`<a rel=next>` or `<link rel=next>`).
    /// 3. A link reading "Next" (also "Next page", "›", "»", ">", "Suivant", "Weiter", "Siguiente",
    ///    or with such a `title`/`aria-label`).
    /// 4. Page-number links: the link numbered one above the current page, which is the element marked
    ///    `aria-current=page` or with class `active`/`current`/`selected`, else the `page`/`p`/`pg` query
    ///    parameter of `base`, else 1.
    ///
    /// A matched link that is disabled (class `disabled`, `aria-disabled=true`, no `href`, `href="#"`,
    /// a `javascript:` URL) or leads back to `base` means there is no next page. Relative links are
    /// resolved against `base`.
    ///
    /// - Throws: the selector's error when `nextSelector` is invalid or too slow (a broken selector must
    ///   not silently end pagination).
    public func nextPageURL(nextSelector: String?, base: URL) throws(ExtractError) -> URL? {
        if let nextSelector {
            guard let match = try nodes(nextSelector).first else { return nil }
            return link(from: match, base: base)
        }
        if let rel = try evaluatePointers(
            "descendant::*[self::a or self::link][@href][contains(concat(' ', normalize-space(translate(@rel, 'NEXT', 'next')), ' '), ' next ')]",
            from: nil
        ).first {
            return link(from: HTMLNode(document: self, pointer: rel), base: base)
        }
        let links = try evaluatePointers("descendant::a[@href]", from: nil).map { HTMLNode(document: self, pointer: $0) }
        var text = NodeText()
        for link in links {
            let label = text.normalized(link.pointer).lowercased()
            let hints = [label, (link.attribute("aria-label") ?? "").lowercased(), (link.attribute("title") ?? "").lowercased()]
            if hints.contains(where: Self.isNextLabel) { return self.link(from: link, base: base) }
        }
        return pageNumberLink(links: links, base: base)
    }

    private static let nextWords: Set<String> = [
        "next", "next page", "next ›", "next »", "next >", "next >>", "›", "»", ">", "→", "next →", "suivant", "page suivante",
        "weiter", "nächste", "nächste seite", "siguiente", "volgende", "avanti", "próximo", "próxima",
    ]

    private static func isNextLabel(_ label: String) -> Bool {
        nextWords.contains(label.trimmingASCIIWhitespace())
    }

    /// The link one above the current page number.
    private func pageNumberLink(links: [HTMLNode], base: URL) -> URL? {
        var text = NodeText()
        var numbered: [(number: Int, node: HTMLNode)] = []
        for link in links {
            if let number = Int(text.normalized(link.pointer)) { numbered.append((number, link)) }
        }
        guard !numbered.isEmpty else { return nil }
        let current = currentPageNumber() ?? Self.pageParameter(of: base) ?? 1
        guard let next = numbered.first(where: { $0.number == current + 1 }) else { return nil }
        return link(from: next.node, base: base)
    }

    /// The number of the page marked as current in the pagination bar, if one is.
    private func currentPageNumber() -> Int? {
        let marked = (try? evaluatePointers(
            "descendant::*[@aria-current='page' or contains(concat(' ', normalize-space(@class), ' '), ' active ') "
                + "or contains(concat(' ', normalize-space(@class), ' '), ' current ') "
                + "or contains(concat(' ', normalize-space(@class), ' '), ' selected ') "
                + "or contains(concat(' ', normalize-space(@class), ' '), ' current-page ')]",
            from: nil)) ?? []
        var text = NodeText()
        for node in marked {
            if let number = Int(text.normalized(node)), number > 0 { return number }
        }
        return nil
    }

    private static func pageParameter(of url: URL) -> Int? {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: true)?.queryItems ?? []
        for name in ["page", "p", "pg", "pagenum", "page_number", "pagenumber", "pageno"] {
            if let value = items.first(where: { $0.name.lowercased() == name })?.value, let number = Int(value) { return number }
        }
        return nil
    }

    /// The absolute URL a matched node links to, or `nil` when it is disabled or links nowhere new.
    private func link(from node: HTMLNode, base: URL) -> URL? {
        var element = node
        if !element.isElement, let parent = element.parent { element = parent }
        if Self.isDisabled(element) { return nil }
        var href = element.attribute("href")
        if href == nil {
            // A wrapper (`li.next`) holding the link, or a `span` inside it.
            if let inner = try? element.select("descendant::a[@href]").first {
                if Self.isDisabled(inner) { return nil }
                href = inner.attribute("href")
            } else if let outer = try? element.select("ancestor::a[@href][1]").first {
                href = outer.attribute("href")
            }
        }
        if node.pointer.pointee.type == XML_ATTRIBUTE_NODE { href = node.normalizedText }  // `a.next::attr(data-url)`
        guard let href = href?.trimmingASCIIWhitespace(), !href.isEmpty, !href.hasPrefix("#"),
            !href.lowercased().hasPrefix("javascript:")
        else { return nil }
        // Legacy links carry spaces and accents unescaped (`list.asp?name=Zoë Müller&page=2`).
        let escaped = URL(string: href) != nil ? href
            : href.addingPercentEncoding(withAllowedCharacters: CharacterSet.urlFragmentAllowed.union(CharacterSet(charactersIn: "%#"))) ?? href
        guard let url = URL(string: escaped, relativeTo: base)?.absoluteURL else { return nil }
        return url.absoluteString == base.absoluteURL.absoluteString ? nil : url
    }

    private static func isDisabled(_ node: HTMLNode) -> Bool {
        if node.attribute("aria-disabled")?.lowercased() == "true" || node.attribute("disabled") != nil { return true }
        for candidate in [Optional(node), node.parent] {
            let classes = (candidate?.attribute("class") ?? "").lowercased().split(separator: " ")
            if classes.contains("disabled") { return true }
        }
        return false
    }
}
