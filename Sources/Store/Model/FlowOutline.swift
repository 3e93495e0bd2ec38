/// The shape of a flow as a run started it: its stages in order and, for each, its steps, each with a
/// digest of everything it says (not where it is written).
///
/// Checkpoints are kept by stage name and step index, so a resume compares the flow it loads with this
/// outline: a stage added, removed or moved, or a step changed, would make the checkpoints point at the
/// wrong steps.
public struct FlowOutline: Sendable, Hashable, Codable {
    /// One stage: its name, a digest of its own settings and its steps in order.
    public struct Stage: Sendable, Hashable, Codable {
        public var name: String
        /// A digest of what the stage says besides its steps (`if:`, `for_each_item:`, `session:` ...).
        public var digest: String
        public var steps: [Step]

        public init(name: String, digest: String, steps: [Step]) {
            self.name = name
            self.digest = digest
            self.steps = steps
        }
    }

    /// One step: a few words for people (`click ledger.entry.save`) and a digest of all it says.
    public struct Step: Sendable, Hashable, Codable {
        public var summary: String
        public var digest: String

        public init(summary: String, digest: String) {
            self.summary = summary
            self.digest = digest
        }
    }

    public var stages: [Stage]

    public init(stages: [Stage]) {
        self.stages = stages
    }
}
