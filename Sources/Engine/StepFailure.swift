import Flows

/// A step that did not do what the flow said: which step, which selector, what was expected, what
/// was found, and where the evidence is.
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    public var stage: String
    /// 1-based, as people count.
    public var stepNumber: Int
    public var stepName: String
    /// Where the step is written in the flow file.
    public var location: SourceLocation
    public var selector: String?
    public var message: String
    /// Business errors mean the data is wrong (no retry); application errors mean the system misbehaved.
    public var errorClass: ErrorClass
    /// Screenshot, page source and URL saved when it failed.
    public var evidence: [String] = []
    public var itemKey: String?
    /// The flow's own words for this failure (the step's `reason:`, rendered), which lead what people read.
    public var reason: String?
    /// What the target system itself said (the text of its error message on the page).
    public var pageMessage: String?
    /// Only a person can decide what comes next (a change that may or may not be in the target, and
    /// nothing in the flow that can look it up): no retry, the item goes to needs_review at once.
    public var needsPerson = false
    /// The browser stopped answering during the step (it crashed, or its remote end went away): nothing
    /// is wrong with the item, so a worker with a pool of remote ends puts it back in the queue.
    public var browserLost = false

    public init(stage: String, stepNumber: Int, stepName: String, location: SourceLocation, selector: String? = nil,
                message: String, errorClass: ErrorClass = .application, itemKey: String? = nil) {
        self.stage = stage
        self.stepNumber = stepNumber
        self.stepName = stepName
        self.location = location
        self.selector = selector
        self.message = message
        self.errorClass = errorClass
        self.itemKey = itemKey
    }

    /// What people read first: the flow's reason and what the page said, or the technical message.
    public var headline: String {
        var text = reason ?? message
        if let pageMessage, !pageMessage.isEmpty { text += " — the page says: “\(pageMessage)”" }
        return text
    }

    /// The reason and the page's message on the first line (when the flow gave one), then the step,
    /// the selector and the technical message.
    public var description: String {
        var text = (reason == nil ? "" : headline + "\n") + "stage '\(stage)', step \(stepNumber) (\(stepName)) at \(location)"
        if let itemKey { text += ", item \(itemKey)" }
        if let selector { text += ", selector \(selector)" }
        text += ": \(message)"
        if reason == nil, let pageMessage, !pageMessage.isEmpty { text += " — the page says: “\(pageMessage)”" }
        if !evidence.isEmpty { text += " — evidence: " + evidence.joined(separator: ", ") }
        return text
    }
}
