import Flows
import Foundation
import Store
import WebDriver

/// One worker of a per-item stage: the name it claims items under, and, for a worker of `ferry worker`,
/// what tells it to stop.
struct ItemWorker: Sendable {
    let number: Int
    /// `HOST:PID/worker:N`.
    let name: String
    /// Set for the workers of `ferry worker`: they stop claiming when it is requested, and an item whose
    /// browser went away goes back to the queue (the pool has other browsers) instead of using up a retry.
    let stop: WorkerStop?

    var isStopping: Bool { stop?.isRequested ?? false }
}

/// Per-item stages: workers (of this process, and of `ferry worker` processes on any host sharing the
/// store) claim the run's items one at a time, each with its own browser, and hold each claim with a
/// heartbeat while they work it.
extension RunExecution {
    /// Works a per-item stage to its end: this process's workers claim items until none is left, then the
    /// stage waits while workers elsewhere still hold items with a live lease, and takes over any whose
    /// lease runs out (a worker that died), so the run never moves on with items still being worked.
    /// With no workers of its own (`--workers 0`), it waits for `ferry worker` processes to work them all.
    func runItemStage(_ stage: Stage) async throws(StepFailure) {
        let count = options.workers == 0 ? 0 : max(1, options.workers ?? stage.perItem?.workers ?? 1)
        var announced = false
        while true {
            releaseClaimsOfGoneWorkers(stage)
            if count > 0 { try await workItems(of: stage, workers: count, stop: nil) }
            let held = (try? store.items(runID: runID, states: count > 0 ? [.processing] : [.new, .processing])) ?? []
            if held.isEmpty {
                // An item a `ferry worker` elsewhere worked ended the stage (`on_error: fail`), as one of this process's would have.
                if let failure = try? store.run(id: runID)?.failure {
                    throw StepFailure(stage: stage.name, stepNumber: 0, stepName: "work the items", location: stage.location, message: failure)
                }
                return
            }
            if !announced {
                announced = true
                let holders = Set(held.compactMap(\.claimedBy)).sorted().joined(separator: ", ")
                let reason = count == 0
                    ? "this run has no workers of its own (--workers 0); start `ferry worker` on a host sharing the store"
                    : "this process has no item left to claim; they are held by \(holders)"
                audit(stage: stage, "waiting for \(held.count) item(s): \(reason)")
                emit(.waitingForWorkers(stage: stage.name, items: held.count, reason: reason))
            }
            await store.waitForWork(timeout: .seconds(1))
        }
    }

    /// Runs `workers` workers of this process on the stage until none finds an item to claim; the first
    /// failure that ends the stage (an item whose flow says `on_error: fail`) is thrown once all have stopped.
    func workItems(of stage: Stage, workers: Int, stop: WorkerStop?) async throws(StepFailure) {
        let total = (try? store.items(runID: runID, states: []).count) ?? 0
        let names = (1...max(1, workers)).map { ItemWorker(number: $0, name: WorkerName.worker($0, of: options.workerName), stop: stop) }
        let result: Result<Void, StepFailure> = await withTaskGroup(of: Result<Void, StepFailure>.self) { group in
            for worker in names {
                group.addTask {
                    do throws(StepFailure) {
                        try await self.work(stage, as: worker, total: total)
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var first: Result<Void, StepFailure> = .success(())
            for await outcome in group {
                if case .failure = outcome, case .success = first { first = outcome }
            }
            return first
        }
        try result.get()
    }

    /// Puts back the items of this run claimed by processes of this host that have ended (a run or a
    /// worker killed before a resume or a restart), at once rather than after their lease; claims of
    /// other hosts are left to their lease.
    func releaseClaimsOfGoneWorkers(_ stage: Stage) {
        let held = (try? store.items(runID: runID, states: [.processing])) ?? []
        for holder in Set(held.compactMap(\.claimedBy)) where WorkerName.hasGone(holder, thisProcess: options.workerName) {
            if let released = try? store.releaseClaims(worker: holder, actor: "engine", reason: "the process that claimed it has ended"),
                !released.isEmpty
            {
                audit(stage: stage, "put back \(released.count) item(s) claimed by \(holder), whose process has ended")
            }
        }
    }

    /// One worker: claims an item, works it (with the stage's retries), finishes it, and claims the next,
    /// until none is left (or its process is stopping).
    private func work(_ stage: Stage, as worker: ItemWorker, total: Int) async throws(StepFailure) {
        var session: WebDriverSession?
        defer {
            if let session { Task { await self.browsers.release(session) } }
        }
        while !worker.isStopping {
            // A claim not renewed within the lease belongs to a worker that stopped (its heartbeat ended).
            let leaseExpiredBefore = Date().addingTimeInterval(-options.itemLease.seconds)
            let claimed: WorkItem?
            do {
                claimed = try store.claimItem(runID: runID, worker: worker.name, leaseExpiredBefore: leaseExpiredBefore)
            } catch {
                throw StepFailure(stage: stage.name, stepNumber: 0, stepName: "claim an item", location: stage.location, message: "\(error)")
            }
            guard let item = claimed else { return }
            let claim = ClaimHeartbeat(itemID: item.id, worker: worker.name, store: store, interval: options.itemLease / 3)
            defer { claim.stop() }
            if session == nil, needsBrowser(stage) {
                do {
                    let opened = try await newSession(for: stage)
                    session = opened
                    if let login = stage.perItem?.session {
                        try await refreshSession(opened, reason: "logging in \(worker.name)", only: login)
                    }
                } catch {
                    // No browser, or no login: the item is not at fault. It goes back to the queue for any
                    // worker that has a browser; the stage (or this process's worker) ends with the cause.
                    // (A worker being stopped leaves that to the stop, which closed the browser.)
                    if !worker.isStopping {
                        _ = try? store.releaseClaims(worker: worker.name, actor: worker.name, reason: "no working browser: \(redact(error.headline))")
                    }
                    throw error
                }
            }
            let policy = flow.retryPolicy(for: stage)
            var attempt = 1
            while true {
                do {
                    try await runSteps(of: stage, session: session, item: item, attempt: max(attempt, item.attempts), claim: claim)
                    guard stillHolds(claim, worker) else {
                        leave(item, of: stage, worker: worker, claim: claim)
                        break
                    }
                    finishItem(item, .done, reason: nil, actor: worker.name, total: total, headline: nil)
                } catch {
                    guard stillHolds(claim, worker) else {
                        leave(item, of: stage, worker: worker, claim: claim)
                        break
                    }
                    if error.browserLost, worker.stop != nil {
                        // The browser (or its remote end) went away: the item goes back to the queue as it
                        // is, and this worker takes a fresh browser for its next item.
                        _ = try? store.releaseClaims(worker: worker.name, actor: worker.name, reason: "its browser stopped answering: \(redact(error.message))")
                        if let lost = session { await browsers.release(lost) }
                        session = nil
                        break
                    }
                    let action = flow.errorAction(for: error.errorClass, step: failingStep(error, in: stage), in: stage)
                    if action == .retry, error.errorClass == .application, !error.needsPerson, attempt < attempts(policy) {
                        emit(.stepFailed(stage: stage.name, step: error.stepNumber, message: redact(error.headline), willRetry: true))
                        audit(stage: stage, "item attempt \(attempt) failed, retrying in \(policy.delay(beforeAttempt: attempt + 1)): \(redact(error.headline))", item: item.key)
                        try? await Task.sleep(for: policy.delay(beforeAttempt: attempt + 1).duration)
                        attempt += 1
                        continue
                    }
                    let state: ItemState = (action == .review || error.errorClass == .business || error.needsPerson) ? .needsReview : .error
                    finishItem(item, state, reason: redact(error.description), actor: worker.name, total: total, headline: redact(error.headline))
                    if action == .fail {
                        if worker.stop != nil { failStageForItsRun(stage, error, worker: worker) }
                        throw error
                    }
                }
                break
            }
        }
    }

    /// Records on the run that an item this `ferry worker` worked ends its stage (`on_error: fail`): the
    /// process carrying out the run fails the stage once its items are worked, as for an item of its own.
    private func failStageForItsRun(_ stage: Stage, _ error: StepFailure, worker: ItemWorker) {
        let failure = "\(worker.name): \(redact(error.description))"
        _ = try? store.updateRun(id: runID, actor: worker.name, reason: "stage \(stage.name) fails: \(redact(error.headline))") { run in
            if run.failure == nil { run.failure = failure }
        }
    }

    /// Whether `worker` may still finish the item: its process is not stopping, and the claim is still its own.
    private func stillHolds(_ claim: ClaimHeartbeat, _ worker: ItemWorker) -> Bool {
        !worker.isStopping && claim.renew()
    }

    /// Leaves an item whose claim this worker no longer holds, as it is: another worker has it (or the
    /// stop put it back), and that worker's guard decides what the target already has.
    private func leave(_ item: WorkItem, of stage: Stage, worker: ItemWorker, claim: ClaimHeartbeat) {
        guard claim.isLost else { return }
        audit(stage: stage, "\(worker.name) lost its claim on the item (its lease ran out, or it was put back); left to the worker that has it", item: item.key)
    }

    private func finishItem(_ item: WorkItem, _ state: ItemState, reason: String?, actor: String, total: Int, headline: String?) {
        _ = try? store.finishItem(id: item.id, state: state, reason: reason, actor: actor)
        let done = (try? store.items(runID: runID, states: [.done, .error, .needsReview]).count) ?? 0
        emit(.itemFinished(key: item.key, state: state, done: done, total: total, reason: headline))
    }
}
