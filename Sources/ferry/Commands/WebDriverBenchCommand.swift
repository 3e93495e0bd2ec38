import ArgumentParser
import Foundation
import Transport
import WebDriver

/// Measures the WebDriver client's overhead over the raw wire, and how late waits return.
struct WebDriverBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webdriver",
        abstract: "Median latency of Ferry's client vs raw HTTP on one kept-alive connection, and wait overshoot."
    )

    @Option(help: "Measurements of each command on each side.")
    var iterations = 300

    @Option(help: "Measurements of the wait overshoot.")
    var waits = 20

    func run() async throws {
        let browser = try await BenchBrowser.start()
        defer { browser.driver.stop() }
        let (session, driver) = (browser.session, browser.driver)
        try await session.navigate(to: browser.sites.clinic.absoluteString + "/login")

        let raw = try CurlTransport()
        let base = driver.url + "/session/\(session.id)"
        let findBody = Data(##"{"using":"css selector","value":"#username"}"##.utf8)
        let rawRequests: [(String, HTTPRequest)] = [
            ("GET url", HTTPRequest(url: base + "/url")),
            ("find element", HTTPRequest(method: "POST", url: base + "/element", headers: [("Content-Type", "application/json")], body: findBody)),
            ("GET timeouts", HTTPRequest(url: base + "/timeouts")),
        ]
        let ferryCommands: [String: @Sendable () async throws -> Void] = [
            "GET url": { _ = try await session.currentURL() },
            "find element": { _ = try await session.findElement(Locator("#username")) },
            "GET timeouts": { try await session.client.execute("GET", "/session/\(session.id)/timeouts") },
        ]

        print("Ferry WebDriver benchmark: \(iterations) measurements per side, raw and Ferry alternating")
        print("raw = the same HTTP request over one reused libcurl connection, no JSON, no client logic")
        print("")
        print("command".padding(14) + "raw median".padding(13) + "ferry median".padding(15) + "ratio")
        for (name, request) in rawRequests {
            var rawTimes: [Duration] = []
            var ferryTimes: [Duration] = []
            let command = ferryCommands[name]!
            for _ in 0..<10 {  // warm-up
                _ = try raw.sendBlocking(request)
                try await command()
            }
            for _ in 0..<iterations {
                let rawStart = ContinuousClock.now
                _ = try raw.sendBlocking(request)
                rawTimes.append(ContinuousClock.now - rawStart)
                let ferryStart = ContinuousClock.now
                try await command()
                ferryTimes.append(ContinuousClock.now - ferryStart)
            }
            let rawMedian = rawTimes.median
            let ferryMedian = ferryTimes.median
            print(name.padding(14) + rawMedian.formattedMilliseconds.padding(13) + ferryMedian.formattedMilliseconds.padding(15)
                + String(format: "%.2fx", ferryMedian / rawMedian))
        }

        var overshoots: [Double] = []
        for index in 0..<waits {
            try await session.executeScript(
                "setTimeout(() => { const d = document.createElement('div'); d.id = 'late\(index)'; document.body.appendChild(d); window.__changedAt = Date.now(); }, 100);")
            try await session.wait(for: .present(Locator("#late\(index)")), timeout: .seconds(5))
            let returned = Date().timeIntervalSince1970 * 1000
            let changed = try await session.executeScript("return window.__changedAt;").number ?? returned
            overshoots.append(returned - changed)
        }
        overshoots.sort()
        print("")
        print(String(format: "wait overshoot: median %.1f ms, max %.1f ms over %d waits (target ≤ 60 ms)",
                     overshoots[overshoots.count / 2], overshoots.last ?? 0, waits))
        await browser.stop()
    }
}

extension Array where Element == Duration {
    var median: Duration { sorted()[count / 2] }
}

extension Duration {
    var formattedMilliseconds: String {
        String(format: "%.2f ms", Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15)
    }
}
