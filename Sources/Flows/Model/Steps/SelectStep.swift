/// `select: { in: filter.status, option: Completed }`: choose a drop-down option by its visible text.
public struct SelectStep: Hashable, Sendable {
    public var field: SelectorReference
    public var option: Template

    public init(field: SelectorReference, option: Template) {
        self.field = field
        self.option = option
    }
}
