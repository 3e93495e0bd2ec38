/// What to do when a step or stage fails: the `on_error:` vocabulary.
public enum ErrorAction: String, Hashable, Sendable, CaseIterable {
    /// Try again with the retry policy; when the attempts run out, fail.
    case retry
    /// Record the failure and carry on with the next step.
    case `continue`
    /// Send the current work item to needs_review with the reason (per-item stages only; see
    /// ``Flow/errorAction(for:step:in:)``).
    case review
    /// Stop: the run fails, or in a per-item stage, the item moves to error.
    case fail
}
