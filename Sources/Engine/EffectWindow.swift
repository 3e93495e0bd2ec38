import Store
import Synchronization

/// The side effects of one pass through a stage (for the run, or for one work item): the change
/// waiting for its verification, whether the flow's guard has looked the change up in the target,
/// and whether the steps of a change confirmed earlier are being passed over.
///
/// A side effect is confirmed when the steps that verify it have passed: its `verify:` list, or the
/// steps after it up to the next side effect or the end of the pass.
final class EffectWindow: Sendable {
    /// A change that was acted on and waits for its verification.
    struct Pending: Sendable {
        var key: String
        var stepNumber: Int
        /// The HTTP status of the page the action led to, when the browser told it.
        var status: Int?
        /// What its verification captured first (a confirmation number): the effect's result.
        var result: String?
    }

    /// A change confirmed earlier whose verification steps are passed over, and its recorded result.
    struct Skipped: Sendable {
        var key: String
        var result: String?
    }

    private struct State {
        var pending: Pending?
        var guardPassed = false
        var skipping: Skipped?
    }

    private let state = Mutex(State())

    /// The change waiting for its verification.
    var pending: Pending? { state.withLock { $0.pending } }

    func acted(_ pending: Pending) {
        state.withLock { $0.pending = pending }
    }

    /// A value the verification captured while the change waits: the first one is its result.
    func noteResult(_ value: String) {
        state.withLock { state in
            if state.pending != nil, state.pending?.result == nil { state.pending?.result = value }
        }
    }

    /// Takes the pending change out of the window (to confirm it, or to say it is not confirmed).
    func takePending() -> Pending? {
        state.withLock { state in
            defer { state.pending = nil }
            return state.pending
        }
    }

    /// A `done: … if:` step looked the change up in the target and did not find it.
    func guardPassed() {
        state.withLock { $0.guardPassed = true }
    }

    /// Whether a guard of this pass looked the target up and found no change: acting (again) is safe.
    var isGuarded: Bool { state.withLock { $0.guardPassed } }

    /// The steps that verify a change confirmed by an earlier pass are passed over with it (the page
    /// they check was never shown), up to the next side effect.
    func skipVerification(of key: String, result: String?) {
        state.withLock { $0.skipping = Skipped(key: key, result: result) }
    }

    /// The change whose verification steps are being passed over.
    var skipping: Skipped? { state.withLock { $0.skipping } }

    func stopSkipping() {
        state.withLock { $0.skipping = nil }
    }
}
