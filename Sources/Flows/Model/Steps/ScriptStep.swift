/// `script`: the escape hatch, JavaScript run in the page, for what no other step can do.
///
///     - script:
///         reason: The date picker ignores typed input; set the hidden field directly.
///         javascript: "document.querySelector('#date').value = arguments[0]"
///         arguments: ["${inputs.date}"]
///       side_effect: false
///     - script:
///         reason: The export button only answers a script-made event.
///         javascript: "arguments[0].dispatchEvent(new MouseEvent('mouseup', {bubbles: true}))"
///         arguments: [{ element: export.go }]   # the element a selector key finds, as a DOM node
///       side_effect: false
///
/// A script says why it exists (`reason:`) and whether it changes the target system (`side_effect:`),
/// since neither can be seen from outside; `into:` keeps what it returns as a variable.
public struct ScriptStep: Hashable, Sendable {
    public var javascript: String
    /// Why no ordinary step does the job.
    public var reason: String
    /// One of `arguments[0]`, `arguments[1]`, ...: a value, or the element a selector key finds (so
    /// the script does not repeat a selector the doctor cannot see).
    public enum Argument: Hashable, Sendable {
        case value(Template)
        case element(SelectorReference)
    }

    /// Passed as `arguments[0]`, `arguments[1]`, ...
    public var arguments: [Argument]

    /// The values among the arguments.
    public var templates: [Template] {
        arguments.compactMap { if case .value(let template) = $0 { template } else { nil } }
    }

    /// The selector keys among the arguments.
    public var elements: [SelectorReference] {
        arguments.compactMap { if case .element(let reference) = $0 { reference } else { nil } }
    }
    /// The variable that receives the script's return value.
    public var into: String?

    public init(javascript: String, reason: String, arguments: [Argument] = [], into: String? = nil) {
        self.javascript = javascript
        self.reason = reason
        self.arguments = arguments
        self.into = into
    }
}
