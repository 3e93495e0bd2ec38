import WebDriver

/// One way to find an element, as written in `selectors:` (`#save`, `text=Save`, `xpath=//...`).
///
/// A candidate may hold templates that follow the item (`xpath=//tr[td='${item.invoice}']//a`):
/// it is rendered for each step that uses it, and errors show it rendered.
public struct SelectorCandidate: Hashable, Sendable, CustomStringConvertible {
    /// The text as written.
    public var source: String
    /// What the browser is asked for (for a templated candidate: as written, unrendered).
    public var locator: Locator
    /// The candidate as a template, when it holds `${…}`.
    public var template: Template?
    public var location: SourceLocation

    public init(source: String, location: SourceLocation) {
        self.source = source
        self.locator = Locator(source)
        self.location = location
    }

    /// A candidate parsed from its text: templated when it holds `${…}`.
    public init(template: Template, location: SourceLocation) {
        self.source = template.source
        self.template = template.expressions.isEmpty ? nil : template
        self.locator = Locator(template.literalText ?? template.source)
        self.location = location
    }

    /// Whether the candidate depends on the step's values.
    public var isTemplated: Bool { template != nil }

    /// The candidate's text for this step's values, and its locator.
    public func rendered(in context: TemplateContext) throws -> (source: String, locator: Locator) {
        guard let template else { return (source, locator) }
        let text = try template.render(in: context).text
        return (text, Locator(text))
    }

    public var description: String { source }
}
