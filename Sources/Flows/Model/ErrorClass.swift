/// Whose fault a failure is, which decides what happens next.
///
/// - **application**: the system misbehaved (a timeout, a missing element, an error page). Trying again
///   later may work, so it is retried with backoff.
/// - **business**: the data is wrong (a duplicate, a missing amount). Trying again cannot help; the work
///   item goes to needs_review with the reason, for a person to decide.
///
/// Failures are application errors unless the step says `failure: business`.
public enum ErrorClass: String, Hashable, Sendable, CaseIterable {
    case application
    case business
}
