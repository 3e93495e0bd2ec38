import Foundation
import Store
import Synchronization
import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

/// The runs this process is carrying out, so that a signal stopping it (SIGTERM, Ctrl-C, a closed
/// terminal) records each as `interrupted`, with its claimed items back in the queue and its locks
/// released, instead of leaving it "running" with items `processing` for a process that is gone.
///
/// The record is written first, before the browsers are stopped, and the store writes nothing after it
/// (see ``RunStore/recordInterruption(runIDs:actor:reason:owner:)``): a worker whose browser is then closed
/// under it cannot mark its item failed.
enum InterruptibleRuns {
    private static let runs = Mutex<[String: any RunStore]>([:])
    private static let handlerAdded = Mutex(false)
    /// Runs recorded as interrupted, with the signal that stopped them.
    private static let stopped = Mutex<[String: Int32]>([:])

    /// Notes that this process is carrying out `runID` now.
    static func begin(_ runID: String, store: any RunStore) {
        runs.withLock { $0[runID] = store }
        handlerAdded.withLock { added in
            guard !added else { return }
            added = true
            TerminationCleanup.beforeStopping { signal in interruptAll(signal: signal) }
        }
    }

    /// Notes that the run has ended here (finished, failed, or handed back).
    static func end(_ runID: String) {
        _ = runs.withLock { $0.removeValue(forKey: runID) }
    }

    /// The signal that stopped `runID` in this process, if one did.
    static func signal(thatStopped runID: String) -> Int32? {
        stopped.withLock { $0[runID] }
    }

    /// Records every run of this process as interrupted, one transaction per store.
    static func interruptAll(signal: Int32) {
        let active = runs.withLock { runs in
            defer { runs.removeAll() }
            return runs
        }
        stopped.withLock { stopped in
            for runID in active.keys { stopped[runID] = signal }
        }
        var byStore: [ObjectIdentifier: (store: any RunStore, runIDs: [String])] = [:]
        for (runID, store) in active {
            byStore[ObjectIdentifier(store as AnyObject), default: (store, [])].runIDs.append(runID)
        }
        let reason = "stopped by \(name(of: signal)); `ferry resume` continues it"
        for (store, runIDs) in byStore.values {
            do {
                try store.recordInterruption(runIDs: runIDs.sorted(), actor: "engine", reason: reason, owner: ClaimOwner(process: WorkerName.thisProcess))
                for runID in runIDs.sorted() {
                    FileHandle.standardError.write(Data("\nrun \(runID) interrupted (\(name(of: signal))): the items its workers held are back in the queue (those workers of other processes hold stay theirs); continue it with `ferry resume \(runID)`\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("\ncould not record runs \(runIDs.joined(separator: ", ")) as interrupted: \(error)\n".utf8))
            }
        }
    }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT (Ctrl-C)"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP (the terminal closed)"
        default: "signal \(signal)"
        }
    }
}
