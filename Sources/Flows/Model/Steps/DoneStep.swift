/// `done: Already in the ledger`: finish the stage early, successfully, with a note; for the current
/// work item in a per-item stage. Usually guarded by `if:`.
///
///     - done: "Already in the ledger as ${vars.existing_entry}"
///       if: vars.existing_entry
public struct DoneStep: Hashable, Sendable {
    /// Why the rest of the stage is not needed, recorded with the item or run.
    public var note: Template

    public init(note: Template) { self.note = note }
}
