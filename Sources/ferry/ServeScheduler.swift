import Alerts
import Engine
import Flows
import Foundation
import Scheduling
import Store

/// The scheduler `ferry serve` runs beside the dashboard: every flow file in the folder with a
/// `schedule:`, looked at every few seconds. The folder is read again when a file in it is added,
/// removed or changed, so a new or edited schedule needs no restart.
struct ServeScheduler {
    let store: any OperatorStore
    let flowsDirectory: String
    let options: RunOptions
    let alerts: (any AlertSink)?
    /// The dashboard's address, for links in alerts.
    let dashboardURL: @Sendable () -> String?

    /// The scheduled flows in the folder; files that are not flows, or do not load, are reported and left out.
    func scheduledFlows() -> [ScheduledFlow] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: flowsDirectory)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        return files.compactMap { file in
            let path = flowsDirectory + "/" + file
            do {
                let flow = try FlowLoader.load(path: path)
                return flow.kind == .flow ? ScheduledFlow(path: path, flow: flow) : nil
            } catch {
                print("note: \(path) is not scheduled, it does not load: \(error)")
                return nil
            }
        }
    }

    /// What the folder holds: each YAML file's name, size and modification time. A change means reading it again.
    func folderState() -> [String: String] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: flowsDirectory)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        var state: [String: String] = [:]
        for file in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: flowsDirectory + "/" + file)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            state[file] = "\(attributes?[.size] as? Int ?? -1)@\(modified)"
        }
        return state
    }

    private static func announce(_ flows: [ScheduledFlow]) {
        for scheduled in flows {
            print("schedule: \(scheduled.flow.name) at \(Self.describe(scheduled.schedule))")
        }
        if flows.isEmpty { print("schedule: no flow in the folder has a schedule: yet") }
        fflush(nil)
    }

    func run() async {
        var folder = folderState()
        let flows = scheduledFlows()
        Self.announce(flows)
        let store = self.store
        var options = self.options
        options.trigger = .schedule
        options.actor = "schedule"
        let runOptions = options
        let link = dashboardURL
        let scheduler = Scheduler(
            flows: flows, store: store, alerts: alerts,
            isPaused: { flow in ((try? store.schedules()) ?? []).contains { $0.flow == flow && $0.paused } },
            link: { runID in link().map { "\($0)runs/\(runID)" } },
            launch: { scheduled, slot, deadline in
                do {
                    var options = runOptions
                    options.deadline = deadline
                    let outcome = try await FlowRunner(store: store, options: options).start(flowPath: scheduled.path)
                    let screenshot = outcome.artifacts.last { $0.kind == .screenshot && $0.name == nil }?.path
                    return LaunchResult(runID: outcome.run.id, state: outcome.run.state, failure: outcome.run.failure, screenshot: screenshot)
                } catch {
                    return LaunchResult(runID: "(not started)", state: .failed, failure: "the run due at \(slot) could not start: \(error)")
                }
            })
        while !Task.isCancelled {
            let now = folderState()
            if now != folder {
                folder = now
                let reloaded = scheduledFlows()
                print("schedule: \(flowsDirectory) changed; reading its flows again")
                Self.announce(reloaded)
                await scheduler.replaceFlows(reloaded)
            }
            for decision in await scheduler.tick() where decision.kind != .alreadyTaken && decision.kind != .notDue && decision.kind != .paused {
                print("schedule: \(decision.flow) \(decision.slot ?? ""): \(decision.kind)")
                fflush(nil)
            }
            for (flow, due) in await scheduler.nextDue() { try? store.setNextDue(flow: flow, nextDue: due) }
            try? await Task.sleep(for: .seconds(15))
        }
        await scheduler.waitForRuns()
    }

    static func describe(_ schedule: FlowSchedule) -> String {
        let times: String = switch schedule.times {
        case .daily(let time): "\(time) daily"
        case .cron(let cron): "cron \(cron)"
        }
        return "\(times) (\(schedule.timeZone))" + (schedule.deadline.map { ", deadline \($0)" } ?? "")
    }
}
