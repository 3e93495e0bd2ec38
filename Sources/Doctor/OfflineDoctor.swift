import Engine
import Flows
import Foundation
import Store

/// Checks a flow's selectors against the pages the last completed run of the flow kept: no
/// browser, no network, in well under a second.
public enum OfflineDoctor {
    /// Why an offline check cannot be made.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks `flow` on the pages of `runID`; without one, on those of the newest completed run of the
    /// flow that kept pages, or else of the run whose stages and steps match the flow's best (a run of
    /// the flow file before it was copied or renamed).
    public static func check(flow: Flow, store: any RunStore, runID: String? = nil) throws -> DoctorReport {
        let run: RunRecord
        var origin = ""
        if let runID {
            guard let found = try store.run(id: runID) else { throw Unavailable(description: "there is no run \(runID); `ferry runs` lists the runs") }
            guard try !CapturedPage.pages(of: found.id, store: store).isEmpty else {
                throw Unavailable(description: "run \(runID) kept no pages (a run keeps the page of each selector step it reaches); name another run with --run")
            }
            run = found
            if found.flow != flow.name { origin = ", a run of \(found.flow)" }
        } else if let found = try newestWithPages(try store.runs(flow: flow.name, limit: 200).filter(isCompleted), store: store) {
            run = found
        } else if let (found, same, total) = try sameSteps(as: flow, store: store) {
            run = found
            origin = ", a run of \(found.flow) (\(same) of the \(total) steps of \(flow.name) are the same)"
        } else {
            throw Unavailable(description: """
                no completed run of \(flow.name) kept its pages in this store, and no run of another flow has its stages and steps; \
                name a run whose pages to use with --run RUN (ferry runs lists them), run the flow once (ferry run), or check online without --offline
                """)
        }
        let pages = try CapturedPage.pages(of: run.id, store: store)
        let findings = SelectorDoctor(flow: flow, inputs: run.inputs).check(pages: pages)
        let when = run.startedAt.formatted(.iso8601.year().month().day().dateSeparator(.dash))
        return DoctorReport(flow: flow, findings: findings, source: "run \(run.id) of \(when)\(origin)")
    }

    private static func isCompleted(_ run: RunRecord) -> Bool {
        run.state == .succeeded || run.state == .needsReview
    }

    private static func newestWithPages(_ runs: [RunRecord], store: any RunStore) throws -> RunRecord? {
        try runs.first { try !CapturedPage.pages(of: $0.id, store: store).isEmpty }
    }

    /// The completed run, of any flow, with the most steps identical to `flow`'s at the same stage and
    /// position (each step compared by a digest of all it says), newest first among equals; it must
    /// share at least half of the flow's steps.
    static func sameSteps(as flow: Flow, store: any RunStore) throws -> (run: RunRecord, same: Int, total: Int)? {
        let wanted = flow.outline
        let total = wanted.stages.reduce(0) { $0 + $1.steps.count }
        guard total > 0 else { return nil }
        var best: (run: RunRecord, same: Int)?
        for run in try store.runs(flow: nil, limit: 500) where isCompleted(run) {
            guard let outline = run.flowOutline else { continue }
            let recorded = Dictionary(outline.stages.map { ($0.name, $0.steps) }, uniquingKeysWith: { first, _ in first })
            let same = wanted.stages.reduce(0) { count, stage in
                let steps = recorded[stage.name] ?? []
                return count + zip(stage.steps, steps).filter { $0.digest == $1.digest }.count
            }
            guard same * 2 >= total, same > (best?.same ?? 0), try !CapturedPage.pages(of: run.id, store: store).isEmpty else { continue }
            best = (run, same)
        }
        return best.map { ($0.run, $0.same, total) }
    }
}
