import ArgumentParser
import Dashboard
import Engine
import FixtureSites
import Foundation
import Operators
import Store
import WebDriver

/// Starts the bundled legacy systems and runs the daily sync against them, end to end.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the bundled fixture sites and run flows/clinic-daily-sync.yaml against them, end to end."
    )

    @OptionGroup var browser: BrowserOptionGroup
    @OptionGroup var store: StoreOptionGroup

    @Option(help: ArgumentHelp("The flow to run.", valueName: "flow"))
    var flow = "flows/clinic-daily-sync.yaml"

    @Option(help: ArgumentHelp("The day to copy (default: yesterday).", valueName: "yyyy-mm-dd"))
    var date: String?

    @Option(help: ArgumentHelp("Where screenshots are saved.", valueName: "folder"))
    var screenshots = "screenshots"

    @Flag(help: "Only log in to the Clinic portal and take a screenshot (the walking skeleton).")
    var loginOnly = false

    @Option(help: ArgumentHelp("The dashboard's port after the run (taken if free, else any free port).", valueName: "port"))
    var dashboardPort = 8080

    @Flag(help: "End after the run instead of serving the dashboard.")
    var noDashboard = false

    /// Keeps the browser open after the login-only screenshot until signalled (for the no-orphans tests).
    @Flag(help: .hidden)
    var holdOpen = false

    func run() async throws {
        TerminationCleanup.install()
        // The Ledger keeps its entries beside the store, as a real system keeps its own: a second demo in
        // this folder finds them there and enters nothing twice.
        let ledgerFile = URL(fileURLWithPath: store.folder).appendingPathComponent(Self.ledgerFileName).path
        let fixtures = FixtureServer(FixtureConfiguration(ledgerFile: loginOnly ? nil : ledgerFile))
        let sites = try await fixtures.start()
        if loginOnly {
            try await logInOnly(sites)
            await fixtures.stop()
            return
        }
        print("Ferry demo: the daily sync, from the bundled Clinic portal into the bundled Ledger")
        print("  Clinic portal: \(sites.clinic.absoluteString)   Ledger: \(sites.ledger.absoluteString)")
        print("  store: \(store.path) (SQLite, WAL, synchronous=FULL)")
        let earlier = Set(fixtures.ledgerEntries.map(\.appointmentID))
        print("  the Ledger keeps its entries in \(ledgerFile): \(earlier.isEmpty ? "none yet" : "\(earlier.count) from earlier demos")")
        print("")

        let console = RunConsole(verbose: false)
        var options = RunOptions()
        options.browser = browser.browserOptions
        options.windowSize = browser.windowSize
        options.webDriverURL = browser.webdriverURL
        options.chromedriver = browser.chromedriver
        options.screenshotsDirectory = screenshots
        options.inputs = ["clinic": sites.clinic.absoluteString, "ledger": sites.ledger.absoluteString]
        if let date { options.inputs["date"] = date }
        // The demo's accounts are the fixture sites' own; real flows take them from the environment or a secrets file.
        options.environment["CLINIC_USER"] = FixtureCredentials.clinicUser
        options.environment["CLINIC_PASSWORD"] = FixtureCredentials.clinicPassword
        options.environment["LEDGER_USER"] = FixtureCredentials.ledgerUser
        options.environment["LEDGER_PASSWORD"] = FixtureCredentials.ledgerPassword
        options.onEvent = { console.handle($0) }

        let runner = FlowRunner(store: try store.open(), options: options)
        let outcome: RunOutcome
        do {
            outcome = try await runner.start(flowPath: Self.locate(flow))
        } catch {
            console.fail(error.message)
            await fixtures.stop()
            throw ExitCode(1)
        }
        console.summary(outcome, store: store.path)
        printLedgerSummary(outcome, store: runner.store, earlier: earlier, now: fixtures.ledgerEntries)
        print("")
        // Serving holds the terminal until Ctrl-C: only for a person at one, never for a script or CI.
        if noDashboard || isatty(STDOUT_FILENO) != 1 {
            await fixtures.stop()
            if !noDashboard, let store = runner.store as? SQLiteRunStore {
                let password = try addDemoOperator(store)
                print("The dashboard: \(FerryInvocation.command) serve --db \(self.store.path), then http://127.0.0.1:8080/   sign in as demo, password \(password)")
                print("  the exception queue (http://127.0.0.1:8080/exceptions) shows the run's items that need a person.")
            }
            print(outcome.run.state == .failed ? "Demo finished: the run failed (see above)." : "Demo finished.")
            fflush(nil)
            if outcome.run.state == .failed { throw ExitCode(1) }
            return
        }
        // The fixture sites keep running, so a retry or an override from the dashboard really enters the item.
        try await serveDashboard(store: runner.store, options: options)
        await fixtures.stop()
    }

    /// The file beside the store that the demo's Ledger keeps its entries in.
    static let ledgerFileName = "ferry-demo-ledger.json"

    /// What the run did to the Ledger, read back from the fixture itself: how many of the run's done items
    /// an earlier run had entered (the flow found them and left them alone), and how many it entered now.
    private func printLedgerSummary(_ outcome: RunOutcome, store: any RunStore, earlier: Set<String>, now entries: [LedgerEntry]) {
        let done = ((try? store.items(runID: outcome.run.id, states: [.done])) ?? []).map(\.key)
        let already = done.filter(earlier.contains).count
        let entered = entries.filter { !earlier.contains($0.appointmentID) }.count
        print("  the Ledger: \(already) already in it from an earlier run, \(entered) entered now; it holds \(entries.count) entries")
        if already > 0 {
            print("  (the flow looks each appointment up in the Ledger before entering it, so a second demo enters nothing twice)")
        }
    }

    /// The demo operator, with a new password each time.
    private func addDemoOperator(_ store: SQLiteRunStore) throws -> String {
        let password = String(OperatorAccounts.randomToken().prefix(14))
        try OperatorAccounts(store: store).addUser(name: "demo", role: .operator, password: password, by: "cli:demo")
        return password
    }

    /// Adds the demo operator (a new password each time) and serves the dashboard until Ctrl-C.
    private func serveDashboard(store: any RunStore, options: RunOptions) async throws {
        guard let store = store as? SQLiteRunStore else { return }
        let password = try addDemoOperator(store)
        var configuration = DashboardConfiguration()
        configuration.port = LocalPort.isFree(dashboardPort) ? dashboardPort : 0
        configuration.screenshotsDirectory = screenshots
        configuration.flowsDirectory = (Self.locate(flow) as NSString).deletingLastPathComponent
        let dashboard = try await Dashboard.make(store: store, configuration: configuration, launcher: EngineRunLauncher(store: store, options: options))
        let dbPath = self.store.path
        try await dashboard.run { port in
            print("The dashboard: http://127.0.0.1:\(port)/   sign in as demo, password \(password)")
            print("  the exception queue (http://127.0.0.1:\(port)/exceptions) shows the run's items that need a person;")
            print("  a retry or an override there enters the item into the Ledger, which keeps running. Ctrl-C ends the demo.")
            let ferry = FerryInvocation.command
            print("  later: \(ferry) serve --db \(dbPath) (add your own user with \(ferry) users add NAME --role operator)")
            fflush(nil)
        }
    }

    /// The flow path as given, or found relative to the package when run from elsewhere.
    static func locate(_ flow: String) -> String {
        if FileManager.default.fileExists(atPath: flow) || flow.hasPrefix("/") { return flow }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent(flow).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return flow
    }

    /// The walking skeleton: log in to the Clinic portal and take a screenshot.
    private func logInOnly(_ sites: FixtureEndpoints) async throws {
        let console = Console()
        console.title("Ferry demo: log in to the bundled Clinic portal in Chromium")
        console.step("fixture sites running: Clinic \(sites.clinic.absoluteString), Ledger \(sites.ledger.absoluteString)")
        var driver: ChromeDriverService?
        let remoteURL: String
        if let url = browser.webdriverURL {
            remoteURL = url
            console.step("using the WebDriver remote end at \(url)")
        } else {
            let started = try await ChromeDriverService.start(executable: browser.chromedriver)
            driver = started
            remoteURL = started.url
            console.step("chromedriver started on port \(started.port) (process group \(started.processGroup))")
        }
        defer { driver?.stop() }

        let session = try await WebDriverSession.start(at: remoteURL, options: browser.browserOptions)
        do {
            let version = session.capabilities["browserVersion"]?.string ?? "?"
            console.step("browser session \(session.id.prefix(8)) open (Chromium \(version), \(browser.headed ? "headed" : "headless"))")
            try await session.navigate(to: sites.clinic.absoluteString + "/login")
            console.step("opened \(try await session.currentURL()) — \"\(try await session.title())\"")
            try await session.findElement(Locator("#username")).sendKeys(FixtureCredentials.clinicUser)
            try await session.findElement(Locator("input[name=pwd]")).sendKeys(FixtureCredentials.clinicPassword)
            console.step("typed the user name and the password into #username and input[name=pwd]")
            try await session.findElement(Locator("text=Sign in")).click()
            let signedIn = try await session.wait(for: .visible(Locator("a.logout")))
            console.step("clicked \"Sign in\": now on \(try await session.currentURL()), \"\(try await signedIn?.text() ?? "")\" is shown")
            let png = try await session.screenshot()
            let path = try ScreenshotFile.save(png, in: screenshots, name: "demo-clinic-appointments")
            console.step("screenshot of the logged-in Clinic page: \(path) (\(png.count / 1024) KB)")
            if holdOpen {
                console.step("holding the browser open (process group \(driver?.processGroup ?? 0)) until signalled")
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
            try await session.quit()
        } catch {
            try? await session.quit()
            throw error
        }
        driver?.stop()
        console.step("session ended, chromedriver and Chromium stopped")
        console.done("Demo finished.")
    }
}
