/// `require: item.amount != ''`: a check on the data, not the page; the step fails when the condition
/// does not hold.
///
///     - require: item.amount != ''
///       reason: "Billing line ${item.invoice} has no amount; complete it in the clinic portal"
///
/// A failed requirement is a business error unless the step says `failure: application`: the work item
/// goes to needs_review with the reason, and nothing is retried.
public struct RequireStep: Hashable, Sendable {
    public var condition: Condition

    public init(condition: Condition) { self.condition = condition }
}
