/// One decoded file before its includes are merged: a flow or fragment whose stage list may still
/// hold `include:` entries.
struct FlowDocument: Sendable {
    enum StageEntry: Sendable {
        case stage(Stage)
        case include(path: String, location: SourceLocation)
    }

    var kind: Flow.Kind
    var name: String
    var description: String
    var inputs: [FlowInput]
    var secrets: [SecretDeclaration]
    var selectors: SelectorMap
    var defaults: FlowDefaults
    var schedule: FlowSchedule?
    var stages: [StageEntry]
    var location: SourceLocation
}
