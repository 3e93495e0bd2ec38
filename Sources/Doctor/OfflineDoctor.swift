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

    /// Checks `flow` on the pages of `runID`, or of the newest completed run of the flow that kept pages.
    public static func check(flow: Flow, store: any RunStore, runID: String? = nil) throws -> DoctorReport {
        let run: RunRecord
        if let runID {
            guard let found = try store.run(id: runID) else { throw Unavailable(description: "there is no run \(runID); `ferry runs` lists the runs") }
            run = found
        } else {
            let candidates = try store.runs(flow: flow.name, limit: 200).filter { $0.state == .succeeded || $0.state == .needsReview }
            guard let found = try candidates.first(where: { try !CapturedPage.pages(of: $0.id, store: store).isEmpty }) else {
                throw Unavailable(description: "no completed run of \(flow.name) kept its pages in this store; run the flow once (ferry run), or check online without --offline")
            }
            run = found
        }
        let pages = try CapturedPage.pages(of: run.id, store: store)
        let findings = SelectorDoctor(flow: flow).check(pages: pages)
        let when = run.startedAt.formatted(.iso8601.year().month().day().dateSeparator(.dash))
        return DoctorReport(flow: flow, findings: findings, source: "run \(run.id) of \(when)")
    }
}
