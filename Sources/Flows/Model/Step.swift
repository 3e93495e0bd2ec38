/// One step of a stage: what it does, plus how it behaves when it fails or changes things.
///
///     - click: entry.save
///       name: Save the entry
///       side_effect: true
///       idempotency_key: "ledger-entry-${item.key}"
///       on_error: review
public struct Step: Hashable, Sendable {
    public var action: StepAction
    /// A label for logs and the dashboard (`name:`); the step's kind and position otherwise.
    public var name: String?
    /// `if:`: the step runs only when this holds.
    public var condition: Condition?
    /// How long the step may wait for its element or page.
    public var timeout: FlowDuration?
    public var retry: RetryPolicy?
    public var onError: ErrorPolicy?
    /// `failure: business` says a failure of this step means the data is wrong.
    public var failure: ErrorClass
    /// `reason:`: the message for the error or needs_review entry when the step fails.
    public var reason: Template?
    /// Whether the step changes the target system. Shadow runs and the selector check skip such steps,
    /// and a resumed run checks the idempotency key before repeating one. Always true for `upload`.
    public var sideEffect: Bool
    /// `idempotency_key:`; nil means ``defaultIdempotencyKey``.
    public var idempotencyKey: Template?
    /// `verify:` on a side effect: the steps that confirm it. Without it, the steps after the side
    /// effect up to the next one (or the end of the stage) confirm it.
    public var verify: [Step]?
    /// `dialog:`: the dialog this step opens and what to do with it (else the stage's, else none is expected).
    public var dialog: DialogPolicy?
    public var location: SourceLocation

    public init(
        action: StepAction, name: String? = nil, condition: Condition? = nil, timeout: FlowDuration? = nil,
        retry: RetryPolicy? = nil, onError: ErrorPolicy? = nil, failure: ErrorClass = .application,
        reason: Template? = nil, sideEffect: Bool = false, idempotencyKey: Template? = nil, verify: [Step]? = nil,
        location: SourceLocation
    ) {
        self.action = action
        self.name = name
        self.condition = condition
        self.timeout = timeout
        self.retry = retry
        self.onError = onError
        self.failure = failure
        self.reason = reason
        self.sideEffect = sideEffect || action.kind == .upload
        self.idempotencyKey = idempotencyKey
        self.verify = verify
        self.location = location
    }

    public var kind: StepKind { action.kind }

    /// The key a side effect is recorded under: this run, stage, step and work item.
    public static let defaultIdempotencyKey: Template = {
        do {
            return try Template(parsing: "${run.id}/${stage.name}/${step.number}/${work.key | default('-')}")
        } catch {
            preconditionFailure("the built-in idempotency key template does not parse: \(error)")
        }
    }()

    /// The idempotency key template in force for this step.
    public var effectiveIdempotencyKey: Template { idempotencyKey ?? Self.defaultIdempotencyKey }

    /// This step and every step inside it (a loop's, a transaction's, its `verify:` list), depth first.
    public var flattened: [Step] {
        var steps = [self]
        switch action {
        case .forEach(let loop): steps += loop.steps.flatMap(\.flattened)
        case .transaction(let transaction): steps += transaction.steps.flatMap(\.flattened)
        default: break
        }
        return steps + (verify ?? []).flatMap(\.flattened)
    }

    /// Whether the step is a `done:` with an `if:`: a guard that looks the change up in the target
    /// before the stage makes it, so an unconfirmed change can be retried safely.
    public var isGuard: Bool {
        if case .done = action { return condition != nil }
        return false
    }
}
