import Synchronization

/// The live fault switches of one site and the request counter behind ``FixtureFaults/error500Every``.
///
/// Shared between the site's request handlers and ``FixtureServer/setFaults(_:site:)``, hence the mutex.
final class FaultSwitches: Sendable {
    private struct State {
        var faults = FixtureFaults.none
        var counted = 0
    }

    private let state = Mutex(State())

    /// The current switches.
    var current: FixtureFaults {
        state.withLock { $0.faults }
    }

    /// Replaces all switches and restarts the request count.
    func set(_ faults: FixtureFaults) {
        state.withLock { $0 = State(faults: faults, counted: 0) }
    }

    /// What one save does under the switches: the counted-down save faults come first.
    enum SaveOutcome: Equatable {
        case normal
        case commitThen500
        case fail500
    }

    /// Takes the next save's fault, counting ``FixtureFaults/commitThen500`` and ``FixtureFaults/fail500`` down.
    func nextSave() -> SaveOutcome {
        state.withLock { state in
            if let left = state.faults.fail500, left > 0 {
                state.faults.fail500 = left > 1 ? left - 1 : nil
                return .fail500
            }
            if let left = state.faults.commitThen500, left > 0 {
                state.faults.commitThen500 = left > 1 ? left - 1 : nil
                return .commitThen500
            }
            return .normal
        }
    }

    /// Counts one request; `true` when this one must fail with HTTP 500.
    func countRequest() -> (faults: FixtureFaults, fail: Bool, down: Bool) {
        state.withLock { state in
            state.counted += 1
            let down = state.faults.downFor.map { state.counted <= $0 } ?? false
            guard let every = state.faults.error500Every else { return (state.faults, false, down) }
            return (state.faults, state.counted % every == 0, down)
        }
    }
}
