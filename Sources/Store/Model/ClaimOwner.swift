/// The process whose claims an interruption puts back: workers are named `HOST:PID/worker:N`, and a
/// process being stopped releases only what its own workers hold. Items that workers of other processes
/// (another host's `ferry worker`) are in the middle of stay theirs: they finish them, or their lease
/// runs out.
public struct ClaimOwner: Sendable, Hashable {
    /// `HOST:PID` of the process.
    public let process: String

    public init(process: String) {
        self.process = process
    }

    /// Whether a claim made under `worker` is this process's to put back. Claims named without a
    /// process (`worker:N`, from runs before workers had host names) are, as then only one process worked a run.
    public func holds(_ worker: String?) -> Bool {
        guard let worker, let slash = worker.firstIndex(of: "/") else { return true }
        return worker[..<slash] == process
    }
}
