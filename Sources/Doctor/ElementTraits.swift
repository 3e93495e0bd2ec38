import Extract

/// What an element of a page shows a person and what it is called in the HTML, as words.
struct ElementTraits {
    let element: HTMLNode
    let kind: ControlKind
    /// What a person sees or hears for it, each with where it comes from (`value`, `label`, `title`…).
    let shown: [(source: String, text: String, words: Set<String>)]
    /// Words of its id, name, classes, link target and input type, neighbours joined too.
    let identifiers: Set<String>
    /// Everything above in one set.
    let allWords: Set<String>

    /// The longest text that still reads as what the element shows, rather than a whole section.
    static let longestShownText = 80

    init?(_ element: HTMLNode, labels: [String: String]) {
        guard let kind = ControlKind(element) else { return nil }
        self.element = element
        self.kind = kind
        var shown: [(String, String)] = []
        let text = element.normalizedText
        if !text.isEmpty, text.count <= Self.longestShownText, kind != .textField, kind != .choice, kind != .table { shown.append(("text", text)) }
        if element.name == "input", kind == .button, let value = element.attribute("value") { shown.append(("value", value)) }
        for attribute in ["aria-label", "title", "placeholder", "alt"] {
            if let value = element.attribute(attribute) { shown.append((attribute, value)) }
        }
        if kind == .button, let images = try? element.select(".//img[@alt]") {
            for image in images { shown.append(("image", image.attribute("alt") ?? "")) }
        }
        if let id = element.attribute("id"), let label = labels[id] { shown.append(("label", label)) }
        if kind.isControl, let label = Self.enclosingLabel(of: element) { shown.append(("label", label)) }
        if kind == .table, let caption = try? element.select("./caption").first?.normalizedText { shown.append(("caption", caption)) }
        self.shown = shown
            .map { ($0.0, $0.1.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.1.isEmpty }
            .map { (source: $0.0, text: $0.1, words: Words.withCompounds(Words.of($0.1))) }

        var names: [String] = []
        for attribute in ["id", "name", "class"] {
            if let value = element.attribute(attribute) { names += Words.of(value) }
        }
        if let href = element.attribute("href"), !href.hasPrefix("javascript:") {
            names += Words.of(href.split(separator: "?").first.map(String.init) ?? href)
        }
        if element.name == "input", let type = element.attribute("type") { names += Words.of(type) }
        identifiers = Words.withCompounds(names.filter { !Words.structural.contains($0) })
        allWords = identifiers.union(self.shown.reduce(into: Set<String>()) { $0.formUnion($1.words) })
    }

    /// The text of `<label for=ID>` elements, by ID.
    static func labels(in document: HTMLDocument) -> [String: String] {
        var labels: [String: String] = [:]
        for label in (try? document.select("//label[@for]")) ?? [] {
            if let id = label.attribute("for"), labels[id] == nil { labels[id] = label.normalizedText }
        }
        return labels
    }

    private static func enclosingLabel(of element: HTMLNode) -> String? {
        var node = element.parent
        while let current = node {
            if current.name == "label" { return current.normalizedText }
            if current.name == "form" || current.name == "body" { return nil }
            node = current.parent
        }
        return nil
    }
}
