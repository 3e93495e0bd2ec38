/// `transaction`: steps that only together change the target system, like an import wizard
/// (upload a file, which only previews it, then confirm) or a form spread over several pages.
///
///     - transaction:
///         steps:
///           - upload: { file: entries.csv, into: import.file, submit: import.preview }
///           - expect: { text: import.summary, matches: "\\d+ rows" }
///           - click: import.confirm
///             side_effect: true
///             idempotency_key: "import-${inputs.date}"
///           - expect: { text: import.result, matches: "Imported (\\d+)" }
///
/// Exactly one step inside is the side effect (the commit); the steps before it prepare it and
/// change nothing for good (an upload inside a transaction is not a side effect unless it says so).
/// A crash or failure anywhere inside replays the whole group from its first step.
public struct TransactionStep: Hashable, Sendable {
    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }

    /// The step that commits the change: the one side effect inside.
    public var commit: Step? { steps.first { $0.sideEffect } }
}
