import ArgumentParser
import Engine
import Foundation

/// A run's report, as the HTML page each run writes into its folder, or as JUnit XML.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a run's report: a self-contained HTML page, or JUnit XML for CI and cron.",
        discussion: """
            Every run also writes both into its folder when it ends (runs/RUN/report.html and junit.xml).

              ferry report RUN > report.html
              ferry report RUN --junit > junit.xml
            """
    )

    @OptionGroup var store: StoreOptionGroup

    @Argument(help: ArgumentHelp("The run id (see `ferry runs`).", valueName: "run"))
    var runID: String

    @Flag(help: "JUnit XML instead of HTML: one test case per stage and per work item.")
    var junit = false

    func run() throws {
        let store = try store.openExisting()
        guard let report = try RunReport.load(runID: runID, store: store) else {
            throw ValidationError("there is no run \(runID); `ferry runs` lists the runs")
        }
        FileHandle.standardOutput.write(Data((junit ? report.junitXML() : report.html()).utf8))
    }
}
