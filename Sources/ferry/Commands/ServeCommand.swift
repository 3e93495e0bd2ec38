import Alerts
import ArgumentParser
import Dashboard
import Engine
import Foundation
import Operators
import Store
import Synchronization

/// `ferry serve`: the operators' dashboard.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the operators' dashboard (live status, activity, exception queue, actions). Binds 127.0.0.1 unless --host says otherwise.",
        discussion: "Add a user first: ferry users add alice --role operator. See docs/operators.md.")

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: ArgumentHelp("The address to bind. Anything but loopback makes cookies Secure (put it behind HTTPS).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Flow files operators may trigger.", valueName: "folder"))
    var flows = "flows"

    @Option(help: ArgumentHelp("Post alerts (run failed, deadline missed, repeated failure) to this webhook.", valueName: "url"))
    var alertWebhook: String?

    @Option(help: ArgumentHelp("The alerts' shape: json (Ferry's fields) or slack ({\"text\": ...}).", valueName: "format"))
    var alertFormat: String = "json"

    @Flag(help: "Serve the dashboard only: start no scheduled runs.")
    var noSchedules = false

    @OptionGroup var options: RunOptionGroup

    func run() async throws {
        let store = try options.store.open()
        var configuration = DashboardConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.flowsDirectory = flows
        configuration.runsDirectory = options.runsFolder
        configuration.screenshotsDirectory = options.screenshotsFolder
        configuration.baseDirectory = options.store.folder
        let console = RunConsole(verbose: true)
        var launchOptions = options.runOptions(console: console)
        // --runs and --screenshots say where new runs go; a resumed run keeps the folders it recorded.
        launchOptions.overridesRecordedRunsDirectory = false
        launchOptions.overridesRecordedScreenshotsDirectory = false
        let launcher = EngineRunLauncher(store: store, options: launchOptions)
        let dashboard = try await Dashboard.make(store: store, configuration: configuration, launcher: launcher)
        if try store.users().isEmpty {
            print("note: no dashboard users yet; add one with `ferry users add NAME --role operator --store \(options.store.path)`")
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        guard let format = WebhookAlerts.Format(rawValue: alertFormat) else {
            throw ValidationError("--alert-format is json or slack, not '\(alertFormat)'")
        }
        let address = Mutex<String?>(nil)
        var scheduling: Task<Void, Never>?
        if !noSchedules {
            let scheduler = ServeScheduler(
                store: store, flowsDirectory: flows, options: options.runOptions(console: console),
                alerts: alertWebhook.map { WebhookAlerts(url: $0, format: format) }, dashboardURL: { address.withLock { $0 } })
            scheduling = Task { await scheduler.run() }
        }
        defer { scheduling?.cancel() }
        try await dashboard.run { port in
            address.withLock { $0 = "http://\(shownHost):\(port)/" }
            print("Ferry dashboard on http://\(shownHost):\(port)/ (store \(options.store.path)); Ctrl-C stops it")
            fflush(nil)  // a log file or a test sees the address at once
        }
    }
}
