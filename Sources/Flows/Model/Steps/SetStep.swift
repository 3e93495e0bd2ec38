/// `set: { note: "Imported ${run.date}" }`: give variables values, in order.
public struct SetStep: Hashable, Sendable {
    public var assignments: [NamedTemplate]

    public init(assignments: [NamedTemplate]) { self.assignments = assignments }
}
