/// `for_each_item:` on a stage: run the stage's steps once per work item, by several browsers at once.
///
///     for_each_item: { workers: 2, session: ledger_login }
///     for_each_item: true                 # one worker
///
/// Each worker drives its own browser, so it first runs a `session: true` stage to log in: the one
/// named by `session:`, else the last session stage before this one.
public struct ItemIteration: Hashable, Sendable {
    /// How many browser sessions claim items from the queue in parallel.
    public var workers: Int
    /// The session stage each worker runs first, when the flow names it.
    public var session: String?
    var sessionLocation: SourceLocation?

    public init(workers: Int = 1, session: String? = nil) {
        self.workers = workers
        self.session = session
    }

    /// The most workers a stage may ask for.
    public static let maximumWorkers = 16
}
