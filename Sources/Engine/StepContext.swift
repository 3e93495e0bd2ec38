import Flows
import WebDriver

/// Where one step runs: its stage, its place, the browser session, the work item, and the values
/// templates can see.
struct StepContext: Sendable {
    var stage: Stage
    /// 0-based index among the stage's steps (loops count as one).
    var index: Int
    var step: Step
    var session: WebDriverSession?
    var itemKey: String?
    var template: TemplateContext
    /// Captures made for the current work item (nil outside per-item stages).
    var scope: ItemScope?
    /// The side effects of this pass through the stage.
    var effects = EffectWindow()
    /// The selector fallbacks this step used, judged after it acted.
    var drift = SelectorDriftWatch()

    var number: Int { index + 1 }

    var name: String { step.name ?? step.summary }

    func failure(_ message: String, selector: String? = nil, errorClass: ErrorClass? = nil) -> StepFailure {
        StepFailure(
            stage: stage.name, stepNumber: number, stepName: name, location: step.location, selector: selector,
            message: message, errorClass: errorClass ?? step.failure, itemKey: itemKey)
    }
}
