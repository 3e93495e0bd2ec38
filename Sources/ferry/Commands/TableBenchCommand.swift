import ArgumentParser
import Extract
import Foundation
import WebDriver

/// Reading a table cell by cell over WebDriver against one page-source round trip plus libxml2.
struct TableBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Read a table cell by cell over WebDriver vs through its page source and libxml2, in the same browser."
    )

    @Option(help: "Rows in the table.")
    var rows = 500

    @Option(help: "Measurements of each way, alternating.")
    var rounds = 3

    func run() async throws {
        let browser = try await BenchBrowser.start()
        defer { browser.driver.stop() }
        let session = browser.session
        try await session.navigate(to: browser.sites.clinic.absoluteString + "/lab/delayed?rows=\(rows)&delay=0")
        try await session.wait(for: .text(Locator("#status"), contains: "Loaded \(rows) rows"), timeout: .seconds(30))

        print("Ferry table benchmark: a \(rows)-row, 5-column table in real Chromium, \(rounds) rounds, the two ways alternating")
        var cellTimes: [Duration] = []
        var sourceTimes: [Duration] = []
        var cellRecords: [[String]] = []
        var sourceRecords: [[String]] = []
        var roundTrips = 0
        for _ in 0..<rounds {
            let cellStart = ContinuousClock.now
            (cellRecords, roundTrips) = try await cellByCell(session)
            cellTimes.append(ContinuousClock.now - cellStart)

            let sourceStart = ContinuousClock.now
            sourceRecords = try await throughPageSource(session)
            sourceTimes.append(ContinuousClock.now - sourceStart)
        }
        guard cellRecords == sourceRecords, cellRecords.count == rows + 1 else {
            throw ValidationError("the two ways read different tables (\(cellRecords.count) vs \(sourceRecords.count) rows): the comparison would mean nothing")
        }
        print("")
        print("way".padding(34) + "median".padding(13) + "round trips")
        print("cell by cell over WebDriver".padding(34) + cellTimes.median.formattedMilliseconds.padding(13) + "\(roundTrips)")
        print("page source + libxml2".padding(34) + sourceTimes.median.formattedMilliseconds.padding(13) + "1")
        print("")
        print(String(format: "page source + libxml2 is %.1fx faster than cell by cell (target ≥ 10x); both read the same %d rows",
                     cellTimes.median / sourceTimes.median, rows))
        await browser.stop()
    }

    /// What a script without Ferry does: find the rows, then each row's cells, then each cell's text.
    private func cellByCell(_ session: WebDriverSession) async throws -> (rows: [[String]], roundTrips: Int) {
        var roundTrips = 2
        var table: [[String]] = []
        var header: [String] = []
        for cell in try await session.findElements(Locator("table#data thead th")) {
            header.append(try await cell.text())
            roundTrips += 1
        }
        table.append(header)
        for row in try await session.findElements(Locator("table#data tbody tr")) {
            var values: [String] = []
            let cells = try await row.findElements(Locator("td"))
            roundTrips += 1
            for cell in cells {
                values.append(try await cell.text())
                roundTrips += 1
            }
            table.append(values)
        }
        return (table, roundTrips)
    }

    /// What Ferry's `extract` step does: one round trip for the page, then libxml2.
    private func throughPageSource(_ session: WebDriverSession) async throws -> [[String]] {
        let source = try await session.pageSource()
        let records = try HTMLDocument(html: source, origin: "bench").table("table#data")
        return [records.columns] + records.rows
    }
}
