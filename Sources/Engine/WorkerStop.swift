import Synchronization

/// Tells the workers of a `ferry worker` process to stop: once requested, none claims another item and
/// none finishes the one it holds (the stop puts it back in the queue).
public final class WorkerStop: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func request() { requested.store(true, ordering: .releasing) }

    public var isRequested: Bool { requested.load(ordering: .acquiring) }
}
