import Alerts
import ArgumentParser
import Engine
import Flows
import Foundation
import Store
import WebDriver

/// Options shared by `run` and `resume`: the store, the browser, the folders.
struct RunOptionGroup: ParsableArguments {
    @OptionGroup var store: StoreOptionGroup
    @OptionGroup var browser: BrowserOptionGroup

    @Option(help: ArgumentHelp(
        "Browser workers for per-item stages (overrides the flow's workers:); 0 leaves the items to `ferry worker` processes sharing the store.",
        valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp(
        "Folder for run files (downloads, records, written files); default: runs. A resume uses the run's own unless given.",
        valueName: "folder"))
    var runs: String?

    @Option(help: ArgumentHelp(
        "Folder for failure evidence and screenshots; default: screenshots. A resume uses the run's own unless given.",
        valueName: "folder"))
    var screenshots: String?

    @Flag(help: "Print every step as a log line, even on a terminal.")
    var verbose = false

    @Option(help: ArgumentHelp("How long to wait for an account another run is logged in with, e.g. 10m or 30s.", valueName: "duration"))
    var credentialWait = "10m"

    @Option(help: ArgumentHelp(
        "A claimed item whose worker has not renewed its claim for this long is taken over (workers renew every third of it); "
            + "give every `ferry run` and `ferry worker` sharing a store the same.",
        valueName: "duration"))
    var itemLease = "5m"

    func validate() throws {
        if let workers, workers < 0 { throw ValidationError("--workers takes 0 or more, not \(workers)") }
        guard FlowDuration(parsing: credentialWait) != nil else {
            throw ValidationError("--credential-wait takes a duration such as 10m, 90s or 1h, not '\(credentialWait)'")
        }
        guard let lease = FlowDuration(parsing: itemLease), lease.milliseconds >= 1_000 else {
            throw ValidationError("--item-lease takes a duration of at least 1s, such as 5m or 30s, not '\(itemLease)'")
        }
    }

    var runsFolder: String { runs ?? "runs" }
    var screenshotsFolder: String { screenshots ?? "screenshots" }

    func runOptions(trigger: RunTrigger = .cli, console: RunConsole) -> RunOptions {
        var options = RunOptions()
        if let wait = FlowDuration(parsing: credentialWait) { options.credentialWait = wait.duration }
        if let lease = FlowDuration(parsing: itemLease) { options.itemLease = lease.duration }
        options.trigger = trigger
        options.browser = browser.browserOptions
        options.windowSize = browser.windowSize
        options.webDriverURL = browser.webdriverURL
        options.chromedriver = browser.chromedriver
        options.workers = workers
        options.runsDirectory = runsFolder
        options.screenshotsDirectory = screenshotsFolder
        options.overridesRecordedRunsDirectory = runs != nil
        options.overridesRecordedScreenshotsDirectory = screenshots != nil
        options.onEvent = { event in console.handle(event) }
        return options
    }
}

/// Runs a flow file now.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a flow now. Exit status: 0 all done, 1 failed, 2 finished with items needing review.",
        discussion: "Example: ferry run flows/clinic-daily-sync.yaml --input date=2026-11-20 --workers 2"
    )

    @Argument(help: ArgumentHelp("The flow file.", valueName: "flow"))
    var flow: String

    @Option(name: .customLong("input"), help: ArgumentHelp("A flow input as name=value; repeatable.", valueName: "name=value"))
    var inputs: [String] = []

    @Flag(help: "Do everything except steps that change the target system (they are logged instead).")
    var shadow = false

    @Flag(help: "At the end, print this process's own CPU time and peak memory (the browser aside) to stderr.")
    var timings = false

    @Option(help: ArgumentHelp("Post an alert to this webhook when the run fails (for cron and systemd timers).", valueName: "url"))
    var alertWebhook: String?

    @Option(help: ArgumentHelp("The alert's shape: json or slack.", valueName: "format"))
    var alertFormat: String = "json"

    @OptionGroup var options: RunOptionGroup

    func validate() throws {
        guard WebhookAlerts.Format(rawValue: alertFormat) != nil else {
            throw ValidationError("--alert-format is json or slack, not '\(alertFormat)'")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let format = WebhookAlerts.Format(rawValue: alertFormat) ?? .json
        TerminationCleanup.install()
        let console = RunConsole(verbose: options.verbose)
        var runOptions = options.runOptions(console: console)
        runOptions.inputs = try Self.parseInputs(inputs)
        runOptions.shadow = shadow
        let runner = FlowRunner(store: try options.store.open(), options: runOptions)
        let outcome: RunOutcome
        do {
            outcome = try await runner.start(flowPath: flow)
        } catch {
            console.fail(error.message)
            throw ExitCode(1)
        }
        console.summary(outcome, store: options.store.path)
        if let alertWebhook, outcome.run.state == .failed {
            let failure = outcome.run.failure ?? "the run failed"
            let screenshot = outcome.artifacts.last { $0.kind == .screenshot && $0.name == nil }?.path
            await WebhookAlerts(url: alertWebhook, format: format, backoff: .seconds(1)).send(
                Alert(kind: .runFailed, flow: outcome.run.flow, runID: outcome.run.id, step: failure.hasPrefix("stage '") ? failure.components(separatedBy: ": ").first : nil,
                      reason: failure, screenshot: screenshot))
        }
        if timings {
            FileHandle.standardError.write(Data((ProcessTimings.measure(since: started).line + "\n").utf8))
        }
        throw ExitCode(outcome.exitCode)
    }

    static func parseInputs(_ pairs: [String]) throws -> [String: String] {
        var inputs: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--input \(pair): write it as name=value, e.g. --input date=2026-11-20")
            }
            inputs[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return inputs
    }
}

/// Continues an interrupted or failed run, from any folder.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted or failed run at its first unfinished stage (nothing already done is repeated).",
        discussion: """
            Works from any folder: the run recorded its flow file's absolute path and its --runs and --screenshots \
            folders. A flow whose stages or steps changed since the run started is refused, saying what changed.
            """
    )

    @Argument(help: ArgumentHelp("The run id (see `ferry runs`).", valueName: "run"))
    var runID: String

    @Flag(help: "Resume even though the flow's stages or steps changed since the run started (recorded in the audit log).")
    var acceptFlowChange = false

    @OptionGroup var options: RunOptionGroup

    func run() async throws {
        TerminationCleanup.install()
        let console = RunConsole(verbose: options.verbose)
        let runner = FlowRunner(store: try options.store.openExisting(), options: options.runOptions(console: console))
        let outcome: RunOutcome
        do {
            outcome = try await runner.resume(runID: runID, acceptFlowChange: acceptFlowChange)
        } catch {
            console.fail(error.message)
            throw ExitCode(1)
        }
        console.summary(outcome, store: options.store.path)
        throw ExitCode(outcome.exitCode)
    }
}
