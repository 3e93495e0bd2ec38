/// `check: filter.include_cancelled` or `check: { box: ..., checked: false }`: tick or untick a checkbox.
public struct CheckStep: Hashable, Sendable {
    public var box: SelectorReference
    /// The state the box should end in (ticking an already ticked box does nothing).
    public var checked: Bool

    public init(box: SelectorReference, checked: Bool = true) {
        self.box = box
        self.checked = checked
    }
}
