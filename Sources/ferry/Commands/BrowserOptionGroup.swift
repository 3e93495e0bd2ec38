import ArgumentParser
import Flows
import WebDriver

/// The options every browser-driving command takes: where the browser comes from and how it looks.
struct BrowserOptionGroup: ParsableArguments {
    @Flag(help: "Show the browser window instead of running headless (needs a display).")
    var headed = false

    @Option(help: ArgumentHelp("Use this W3C WebDriver remote end (e.g. a Selenium Grid) instead of starting chromedriver.", valueName: "url"))
    var webdriverURL: String?

    @Option(help: ArgumentHelp("The chromedriver program to start.", valueName: "path"))
    var chromedriver = "chromedriver"

    @Option(help: ArgumentHelp("The browser window's size, over the flow's defaults: window_size (default 1280x900).", valueName: "WxH"))
    var windowSize: WindowSize?

    var browserOptions: BrowserOptions {
        var options = BrowserOptions()
        options.headless = !headed
        if webdriverURL != nil { options.binary = nil }
        if let windowSize {
            options.windowWidth = windowSize.width
            options.windowHeight = windowSize.height
        }
        return options
    }
}

extension WindowSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
