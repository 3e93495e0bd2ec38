/// `dialog:` on a step or a stage: what to do with the `alert()`, `confirm()` or `prompt()` the page
/// opens, and what it must say.
///
///     - click: record.save
///       dialog: accept                                       # OK on the dialog this click opens
///     - click: record.save
///       dialog: { do: accept, expect_text: "Really save" }   # OK, if it says so; else the step fails
///     - click: record.void
///       dialog: { answer: "${item.reason}", expect_text: "Reason" }   # types into a prompt, then OK
///
/// On a step, the dialog is expected: the step fails when none opens within its timeout. On a stage,
/// it applies to any dialog its steps open, and none is needed. Without either, a dialog is a failure
/// of the step that opened it, naming its text; Ferry presses Cancel so nothing is changed silently.
public struct DialogPolicy: Hashable, Sendable {
    public enum Response: String, Hashable, Sendable, CaseIterable {
        /// OK.
        case accept
        /// Cancel (or closes an alert).
        case dismiss
    }

    public var response: Response
    /// `answer:`: typed into a prompt before OK.
    public var answer: Template?
    /// `expect_text:`: the dialog's text must contain this, else the step fails and the dialog is dismissed.
    public var expectedText: Template?
    public var location: SourceLocation

    public init(response: Response, answer: Template? = nil, expectedText: Template? = nil, location: SourceLocation) {
        self.response = response
        self.answer = answer
        self.expectedText = expectedText
        self.location = location
    }

    /// The templates it renders.
    public var templates: [Template] { [answer, expectedText].compactMap { $0 } }
}
