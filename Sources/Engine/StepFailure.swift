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

    public var description: String {
        var text = "stage '\(stage)', step \(stepNumber) (\(stepName)) at \(location)"
        if let itemKey { text += ", item \(itemKey)" }
        if let selector { text += ", selector \(selector)" }
        text += ": \(message)"
        if !evidence.isEmpty { text += " — evidence: " + evidence.joined(separator: ", ") }
        return text
    }
}
