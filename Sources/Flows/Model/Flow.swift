/// A loaded, validated flow file: what to run, against which systems, with which selectors.
///
/// Get one from ``FlowLoader/load(path:)``, which reports every problem in the file at once. Included
/// fragments are already merged in: their stages take the place of their `include:`, their selectors,
/// inputs and secrets join the flow's, and everything keeps the location it was written at.
public struct Flow: Hashable, Sendable {
    /// Whether the file is a runnable flow or a fragment other flows include.
    public enum Kind: String, Hashable, Sendable {
        /// `flow: name`.
        case flow
        /// `fragment: name`: stages, selectors, inputs and secrets to share.
        case fragment
    }

    public var kind: Kind
    /// `kebab-case`, unique among the flows.
    public var name: String
    public var description: String
    public var inputs: [FlowInput]
    public var secrets: [SecretDeclaration]
    public var selectors: SelectorMap
    public var defaults: FlowDefaults
    /// When `ferry serve` runs the flow on its own; nil for flows run by hand.
    public var schedule: FlowSchedule?
    public var stages: [Stage]
    /// The files included, directly or not, in the order they were first included.
    public var includedFiles: [String]
    /// Where the flow begins (its file).
    public var location: SourceLocation

    public init(
        kind: Kind = .flow, name: String, description: String, inputs: [FlowInput] = [], secrets: [SecretDeclaration] = [],
        selectors: SelectorMap = SelectorMap(), defaults: FlowDefaults = FlowDefaults(), schedule: FlowSchedule? = nil, stages: [Stage],
        includedFiles: [String] = [], location: SourceLocation
    ) {
        self.kind = kind
        self.name = name
        self.description = description
        self.inputs = inputs
        self.secrets = secrets
        self.selectors = selectors
        self.defaults = defaults
        self.schedule = schedule
        self.stages = stages
        self.includedFiles = includedFiles
        self.location = location
    }

    public var file: String { location.file }

    public func input(named name: String) -> FlowInput? { inputs.first { $0.name == name } }

    public func secret(named name: String) -> SecretDeclaration? { secrets.first { $0.name == name } }

    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// The retry policy in force for a step: its own, else its stage's, else the flow's default.
    public func retryPolicy(for step: Step, in stage: Stage) -> RetryPolicy {
        step.retry ?? stage.retry ?? defaults.retry
    }

    /// The retry policy in force for a stage.
    public func retryPolicy(for stage: Stage) -> RetryPolicy {
        stage.retry ?? defaults.retry
    }

    /// What to do when a step fails with an error of this class: the step's `on_error`, else the
    /// stage's, else `defaults:`, else the built-in policy.
    ///
    /// Outside per-item stages there is no work item to review, so a `review` inherited from
    /// `defaults:` means `fail` there (the validator refuses `review` written on such a stage or step).
    public func errorAction(for errorClass: ErrorClass, step: Step?, in stage: Stage) -> ErrorAction {
        let perItem = stage.perItem != nil
        for policy in [step?.onError, stage.onError, defaults.onError] {
            if let action = policy?.action(for: errorClass) { return action == .review && !perItem ? .fail : action }
        }
        return ErrorPolicy.builtIn(for: errorClass, perItem: perItem)
    }

    /// How a page shows that a session stage's login has run out: the stage's own `expired_when:`, else
    /// `defaults:`'s; nil means the built-in rule (the URL is the stage's first `goto`, query ignored).
    public func expiryCondition(for stage: Stage) -> ExpiryCondition? {
        stage.expiredWhen ?? defaults.expiredWhen
    }

    /// The step timeout in force.
    public func timeout(for step: Step) -> FlowDuration { step.timeout ?? defaults.timeout }
}
