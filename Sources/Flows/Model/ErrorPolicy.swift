/// The `on_error:` of a step, stage or the flow's defaults: an ``ErrorAction`` for each ``ErrorClass``.
///
///     on_error: review                                  # both kinds (retry applies to application errors only)
///     on_error: { application: retry, business: review }
///
/// What is not said is inherited: step, then stage, then `defaults:`, then the built-in policy
/// (application errors retry, business errors go to review in per-item stages and fail elsewhere).
public struct ErrorPolicy: Hashable, Sendable {
    /// For application errors; nil inherits.
    public var application: ErrorAction?
    /// For business errors; nil inherits. Never `.retry`.
    public var business: ErrorAction?
    public var location: SourceLocation?

    public init(application: ErrorAction? = nil, business: ErrorAction? = nil, location: SourceLocation? = nil) {
        self.application = application
        self.business = business
        self.location = location
    }

    /// The action for a class of error, if this policy says one.
    public func action(for errorClass: ErrorClass) -> ErrorAction? {
        switch errorClass {
        case .application: application
        case .business: business
        }
    }

    /// The built-in action when nothing in the flow says one.
    public static func builtIn(for errorClass: ErrorClass, perItem: Bool) -> ErrorAction {
        switch errorClass {
        case .application: .retry
        case .business: perItem ? .review : .fail
        }
    }
}
