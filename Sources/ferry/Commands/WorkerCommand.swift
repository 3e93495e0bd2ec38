import ArgumentParser
import Engine
import Flows
import Foundation
import Store
import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

/// `ferry worker`: a long-lived process for any host that works the per-item stages of runs in progress.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Work the per-item stages of runs in progress from a shared store, on this host (until SIGTERM).",
        discussion: """
            Runs started anywhere (`ferry run`, `ferry serve`) share their items with every worker on the same store: \
            each worker claims an item, renews its claim while it works it, and finishes it. A worker that dies \
            loses its claims when their lease runs out (--item-lease); SIGTERM or Ctrl-C stops it at once, its \
            browsers closed and its items put back in the queue. Flows are found by name in --flows.
            Example: ferry worker --db /srv/ferry/ferry.db --flows /srv/ferry/flows --workers 4 \
            --webdriver-url http://grid:4444,sessions=8 --webdriver-url http://10.0.0.7:9515,sessions=2
            """
    )

    @OptionGroup var store: StoreOptionGroup

    @Option(help: ArgumentHelp("The folder of flow files; a run's flow is found there by name (it must be the version the run started with).", valueName: "folder"))
    var flows: String

    @Option(help: ArgumentHelp("Workers in this process, each with its own browser.", valueName: "n"))
    var workers = 1

    @Option(
        name: .customLong("webdriver-url"),
        help: ArgumentHelp(
            "A W3C WebDriver remote end for the browsers (a Selenium Grid, chromedriver on another host), as URL or URL,sessions=N (at most N "
                + "browsers of this worker there at once); repeatable, a pool. One that stops answering leaves the pool for a minute and "
                + "its items go back to the queue. Without it, chromedriver is started here.",
            valueName: "url[,sessions=n]"))
    var webdriverURLs: [String] = []

    @Option(help: ArgumentHelp("The chromedriver program to start (without --webdriver-url).", valueName: "path"))
    var chromedriver = "chromedriver"

    @Flag(help: "Show the browser windows instead of running headless (needs a display).")
    var headed = false

    @Option(help: ArgumentHelp(
        "A claimed item whose worker has not renewed its claim for this long is taken over; the same on every host (default 5m).",
        valueName: "duration"))
    var itemLease = "5m"

    @Option(help: ArgumentHelp("Folder for run files (downloads, records) on this host; default: runs.", valueName: "folder"))
    var runs = "runs"

    @Option(help: ArgumentHelp("Folder for failure evidence on this host; default: screenshots.", valueName: "folder"))
    var screenshots = "screenshots"

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, not \(workers)") }
        guard let lease = FlowDuration(parsing: itemLease), lease.milliseconds >= 1_000 else {
            throw ValidationError("--item-lease takes a duration of at least 1s, such as 5m or 30s, not '\(itemLease)'")
        }
        for url in webdriverURLs where RemoteEnd(parsing: url) == nil {
            throw ValidationError("--webdriver-url \(url): write it as URL or URL,sessions=N with N at least 1, e.g. http://grid:4444,sessions=8")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: flows, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--flows \(flows) is not a folder; give the folder that holds the flow files")
        }
    }

    func run() async throws {
        let store = try openStore()
        var options = RunOptions()
        options.actor = "worker:" + WorkerName.thisProcess
        options.browser.headless = !headed
        options.remoteEnds = webdriverURLs.compactMap(RemoteEnd.init(parsing:))
        if !options.remoteEnds.isEmpty { options.browser.binary = nil }
        options.chromedriver = chromedriver
        options.itemLease = FlowDuration(parsing: itemLease)?.duration ?? .seconds(300)
        options.runsDirectory = runs
        options.screenshotsDirectory = screenshots
        options.onEvent = { event in Self.log(event) }

        let stop = WorkerStop()
        var worker = QueueWorker(store: store, options: options, flowsDirectory: flows, workers: workers, stop: stop)
        worker.onNote = { Self.say($0) }
        let names = worker.workerNames
        TerminationCleanup.install()
        TerminationCleanup.beforeStopping { signal in
            // In this order: no claim after the stop, no click after the browsers are gone, and only then
            // are the items put back, so no other worker can be working an item a browser here still touches.
            stop.request()
            TerminationCleanup.stopAll()
            var released = 0
            for name in names {
                released += (try? store.releaseClaims(worker: name, actor: name, reason: "ferry worker stopped by \(Self.signalName(signal))"))?.count ?? 0
            }
            Self.say("stopped by \(Self.signalName(signal)); \(released) item(s) put back in the queue")
            Glibc.exit(0)
        }
        let pool = options.remoteEnds.isEmpty ? "chromedriver on this host" : options.remoteEnds.map(\.description).joined(separator: " ")
        Self.say("worker \(WorkerName.thisProcess) with \(workers) worker(s), browsers from \(pool), flows from \(flows)")
        await worker.run()
        // A signal ended the loop: its handler is putting the items back and ends the process (exit 0);
        // returning here would race it to the exit.
        while stop.isRequested { try? await Task.sleep(for: .seconds(1)) }
    }

    /// Opens the shared store, trying again for a few seconds: a worker host may come up before the
    /// database does, or while another process is creating the store.
    private func openStore() throws -> any RunStore {
        var attempt = 1
        while true {
            do {
                return try store.open()
            } catch where attempt < 10 {
                Self.say("the store is not ready (\(error)); trying again in 2 s")
                Thread.sleep(forTimeInterval: 2)
                attempt += 1
            }
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT (Ctrl-C)"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }

    static func say(_ text: String) {
        print(Date().formatted(.iso8601.time(includingFractionalSeconds: false)) + " " + text)
        fflush(nil)
    }

    static func log(_ event: RunEvent) {
        switch event {
        case .stepStarted(let stage, let step, _, let item?) where step == 1:
            say("item \(item): started (stage \(stage))")
        case .stepFailed(let stage, let step, let message, let willRetry):
            say("  \(stage) step \(step) failed\(willRetry ? ", retrying" : ""): \(message)")
        case .itemFinished(let key, let state, _, _, let reason):
            say("item \(key): \(state.rawValue)" + (reason.map { ": \($0)" } ?? ""))
        case .browserRestarted(let reason):
            say("  new browser: \(reason)")
        case .sessionRecovered(let reason):
            say("  logged in again: \(reason)")
        default:
            break
        }
    }
}
