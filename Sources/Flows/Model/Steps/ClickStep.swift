/// `click: entry.save`: click an element, as a person would.
///
///     - click: entry.save
///     - click: { on: entry.save, force: true }   # click by script, even when something covers it
///
/// Before the click the element is brought to the middle of the window and Ferry checks that a
/// click there reaches it, waiting (up to the step's timeout) for a banner or mask in the way to go.
/// `force: true` skips that and clicks by script: the explicit escape hatch for a control a person
/// would click anyway. Mark a click that saves something in the target system with `side_effect: true`.
public struct ClickStep: Hashable, Sendable {
    public var target: SelectorReference
    /// Click by script, without the checks.
    public var force: Bool

    public init(target: SelectorReference, force: Bool = false) {
        self.target = target
        self.force = force
    }
}
