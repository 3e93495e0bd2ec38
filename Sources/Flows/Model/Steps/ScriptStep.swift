/// `script`: the escape hatch, JavaScript run in the page, for what no other step can do.
///
///     - script:
///         reason: The date picker ignores typed input; set the hidden field directly.
///         javascript: "document.querySelector('#date').value = arguments[0]"
///         arguments: ["${inputs.date}"]
///       side_effect: false
///
/// A script says why it exists (`reason:`) and whether it changes the target system (`side_effect:`),
/// since neither can be seen from outside; `into:` keeps what it returns as a variable.
public struct ScriptStep: Hashable, Sendable {
    public var javascript: String
    /// Why no ordinary step does the job.
    public var reason: String
    /// Passed as `arguments[0]`, `arguments[1]`, ...
    public var arguments: [Template]
    /// The variable that receives the script's return value.
    public var into: String?

    public init(javascript: String, reason: String, arguments: [Template] = [], into: String? = nil) {
        self.javascript = javascript
        self.reason = reason
        self.arguments = arguments
        self.into = into
    }
}
