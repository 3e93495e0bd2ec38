/// `dialog:` on a step or a stage.
extension FlowValidator {
    /// Its templates name what exists; it sits on a step that can open a dialog.
    mutating func checkDialog(_ dialog: DialogPolicy, scope: Scope, onStep step: Step?) {
        for template in dialog.templates { checkReferences(in: template, scope: scope) }
        if let expected = dialog.expectedText {
            forbidSecrets(in: expected, "a dialog's expected text, which appears in errors")
        }
        if let step, !step.kind.usesBrowser || step.kind == .screenshot {
            error(.invalidPolicy, at: dialog.location, "'\(step.kind.rawValue)' cannot open a dialog; put 'dialog:' on the step that opens it (a click, a goto)")
        }
    }
}
