/// `click: entry.save`: click an element.
///
/// Mark a click that saves something in the target system with `side_effect: true`.
public struct ClickStep: Hashable, Sendable {
    public var target: SelectorReference

    public init(target: SelectorReference) { self.target = target }
}
