import ArgumentParser
import Doctor
import Engine
import Flows
import Foundation
import WebDriver

/// Checks every selector of a flow: on the live system (a shadow run), or offline on the pages the
/// last completed run kept.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check every selector of a flow; suggest replacements for broken ones. Exit: 0 fine, 1 broken, 2 drifted.",
        discussion: """
            Online (the default) runs the flow in shadow mode against the live system: it logs in as the flow does
            and visits its pages, but takes no step that changes the target system, tries everything once, and goes
            on past a step that fails, so every selector it can reach is checked. Each selector is checked on the
            page its step acted on: found, found more than once, or not found. For a broken one it ranks the
            elements of the page by what they show (text, an input's value, label, aria-label, title), their id,
            name and class, the selector's key and the kind of control the step needs; each suggestion is a selector
            that matches one element only, with a confidence. The best is proposed when it is sure enough, else the
            doctor says it has no good candidate. A screenshot outlines the proposal.

            --offline checks the flow file as it is now against the pages the last completed run kept in the store
            (no browser, no network): check an edited selector before committing it. A renamed copy of a flow file
            finds the run whose stages and steps it shares; --run RUN names the run. Drifted selectors (the primary
            matched nothing, a fallback did) come with a proposed edit to 'selectors:', the working fallback first
            and the dead primary left out.

              ferry doctor flows/clinic-daily-sync.yaml --input clinic=http://127.0.0.1:8081 --input ledger=http://127.0.0.1:8082
              ferry doctor flows/clinic-daily-sync.yaml --offline --db ferry.db
            """
    )

    @Argument(help: ArgumentHelp("The flow file.", valueName: "flow"))
    var flow: String

    @Flag(help: "Check against the pages the last completed run kept, without a browser.")
    var offline = false

    @Option(help: ArgumentHelp("With --offline: check against this run's pages (of any flow) instead of the last completed run's.", valueName: "run"))
    var run: String?

    @Option(name: .customLong("input"), help: ArgumentHelp("A flow input as name=value; repeatable.", valueName: "name=value"))
    var inputs: [String] = []

    @OptionGroup var store: StoreOptionGroup
    @OptionGroup var browser: BrowserOptionGroup

    @Option(help: ArgumentHelp("Folder for the online check's run, pages and screenshots.", valueName: "folder"))
    var folder = "screenshots/doctor"

    func run() async throws {
        let loaded: Flow
        do {
            loaded = try FlowLoader.load(path: flow)
        } catch {
            FileHandle.standardError.write(Data("ferry doctor: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if offline {
            let report: DoctorReport
            do {
                report = try OfflineDoctor.check(flow: loaded, store: try store.openExisting(), runID: run)
            } catch {
                FileHandle.standardError.write(Data("ferry doctor: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print(report.text(), terminator: "")
            throw ExitCode(report.exitCode)
        }
        TerminationCleanup.install()
        var options = RunOptions()
        options.inputs = try RunCommand.parseInputs(inputs)
        options.browser = browser.browserOptions
        options.windowSize = browser.windowSize
        options.webDriverURL = browser.webdriverURL
        options.chromedriver = browser.chromedriver
        options.trigger = .cli
        let stamp = Date().formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false).timeSeparator(.omitted))
        let doctor = OnlineDoctor(options: options, folder: folder + "/" + stamp.replacingOccurrences(of: "T", with: "-").replacingOccurrences(of: "Z", with: ""))
        print("Checking the selectors of \(loaded.name) on the live system (a shadow run: nothing is changed)…")
        let result = try await doctor.check(flowPath: flow)
        print(result.report.text(), terminator: "")
        if let failure = result.runFailure { print("The shadow run's first failure (it went on past it, checking what it could reach): \(failure)") }
        for (key, path) in result.screenshots.sorted(by: { $0.key < $1.key }) { print("screenshot of \(key) with its candidate outlined: \(path)") }
        throw ExitCode(result.report.exitCode)
    }
}
