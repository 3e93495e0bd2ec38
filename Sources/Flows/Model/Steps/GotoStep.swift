/// `goto: "${inputs.clinic}/appointments?date=${inputs.date}"`: open a page.
public struct GotoStep: Hashable, Sendable {
    /// An absolute URL, usually starting from a `url` input.
    public var url: Template

    public init(url: Template) { self.url = url }
}
