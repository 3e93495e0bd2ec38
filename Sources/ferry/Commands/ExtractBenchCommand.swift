import ArgumentParser
import Extract
import Foundation

/// `ferry bench extract`: Ferry's table reader against a C floor that does the same work with libxml2.
///
/// The page is generated deterministically (a ~5 MB clinic appointments list, one 29,000-row table).
/// Each round runs the C floor (`extract-floor`, a bench-only executable built next to `ferry`: parse
/// with htmlReadMemory, one XPath for the rows, each cell's text) in its own process, with one
/// warm-up parse inside it, then Ferry's `HTMLDocument(data:)` + `table("table#data")` in this one.
/// Both time from bytes in memory to records in memory, and both start each measured round from a
/// trimmed heap (`malloc_trim`): after a 600,000-node document is freed, glibc's fastbin state alone
/// swings the next libxml2 parse by ±40%, which would otherwise decide the ratio. Medians of the rounds
/// are printed; the last line is Ferry's end-to-end throughput over the floor's.
struct ExtractBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Table extraction throughput (MB/s, rows/s) against a C libxml2 floor measured in the same run."
    )

    @Option(help: "Rows in the generated table (29,000 make a ~5 MB page).")
    var rows = 29_000

    @Option(help: "Measured rounds of each side, after one warm-up round.")
    var rounds = 5

    @Option(help: "The C floor executable (default: extract-floor next to this ferry).")
    var floor: String?

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be at least 1.") }
        if rounds < 1 { throw ValidationError("--rounds must be at least 1.") }
    }

    func run() throws {
        let floorURL = try locateFloor()
        let page = BenchPage.generate(rows: rows)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-bench-extract-\(rows).html")
        try page.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        #if DEBUG
        let configuration = "debug build (figures are meaningful in release: swift build -c release, then .build/release/ferry bench extract)"
        #else
        let configuration = "release build"
        #endif
        let megabytes = Double(page.count) / 1_000_000
        print("Ferry extract benchmark: \(String(format: "%.2f", megabytes)) MB page, \(rows)-row table, \(rounds) rounds after a warm-up, C floor and Ferry alternating")
        print("configuration: \(configuration); libxml2 \(HTMLDocument.libxml2Version)")
        print("C floor = \(floorURL.lastPathComponent): htmlReadMemory, one XPath for the rows, each cell's text (xmlNodeGetContent)")
        print("Ferry   = HTMLDocument(data:) + table(\"table#data\"): encoding check, parse, CSS→XPath, spans, normalised text, records")
        print("")

        var floorRounds: [Round] = []
        var ferryRounds: [Round] = []
        for round in 0...rounds {
            let floorRound = try runFloor(floorURL, file: file)
            let ferryRound = try runFerry(page)
            guard floorRound.rows == rows, ferryRound.rows == rows else {
                throw ValidationError("Row counts differ: C floor read \(floorRound.rows), Ferry \(ferryRound.rows), the page has \(rows).")
            }
            if round > 0 {  // round 0 warms up both sides
                floorRounds.append(floorRound)
                ferryRounds.append(ferryRound)
            }
        }

        let floorMedian = Round.medians(floorRounds)
        let ferryMedian = Round.medians(ferryRounds)
        print("".padding(20) + "parse MB/s".padding(13) + "end-to-end MB/s".padding(18) + "rows/s")
        for (name, median) in [("C floor (libxml2)", floorMedian), ("Ferry", ferryMedian)] {
            print(name.padding(20) + String(format: "%.1f", megabytes / median.parse).padding(13)
                + String(format: "%.1f", megabytes / median.total).padding(18) + String(format: "%.0f", Double(rows) / median.total))
        }
        print(String(format: "Ferry/C: %.2fx", floorMedian.total / ferryMedian.total))
    }

    /// One measurement of one side, in seconds.
    private struct Round {
        var parse: Double
        var total: Double
        var rows: Int

        static func medians(_ rounds: [Round]) -> (parse: Double, total: Double) {
            let parses = rounds.map(\.parse).sorted()
            let totals = rounds.map(\.total).sorted()
            return (parses[parses.count / 2], totals[totals.count / 2])
        }
    }

    private func runFerry(_ page: Data) throws -> Round {
        Self.trimHeap()
        let start = ContinuousClock.now
        let document = try HTMLDocument(data: page, origin: "bench.html")
        let parsed = ContinuousClock.now
        let records = try document.table("table#data")
        let finished = ContinuousClock.now
        return Round(parse: Self.seconds(parsed - start), total: Self.seconds(finished - start), rows: records.count)
    }

    private func runFloor(_ executable: URL, file: URL) throws -> Round {
        let process = Process()
        process.executableURL = executable
        process.arguments = [file.path, "--warmup", "1", "--rounds", "1"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("round=") })
        else {
            throw ValidationError("\(executable.path) failed (status \(process.terminationStatus)); run it by hand: \(executable.path) \(file.path)")
        }
        var values: [String: Double] = [:]
        for pair in line.split(separator: " ") {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return Round(parse: (values["parse_ns"] ?? 0) / 1e9, total: (values["total_ns"] ?? 0) / 1e9, rows: Int(values["rows"] ?? 0))
    }

    private func locateFloor() throws -> URL {
        if let floor { return URL(fileURLWithPath: floor) }
        let candidates = [
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].compactMap { $0?.appendingPathComponent("extract-floor") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ValidationError(
                "The C floor extract-floor is not next to ferry (\(candidates.first?.path ?? "?")). Build it: "
                    + "`swift build --product extract-floor` (add `-c release` for release figures), or pass --floor PATH.")
        }
        return found
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (Swift's Glibc module does not export malloc.h).
    private static func trimHeap() {
        #if os(Linux)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The generated page: a legacy appointments list, the same bytes for the same row count.
private enum BenchPage {
    static func generate(rows: Int) -> Data {
        let patients = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Zoë Müller"]
        let services = ["Consultation", "Follow-up", "X-ray", "Blood test", "Vaccination"]
        let statuses = ["done", "booked", "cancelled"]
        var html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Appointments</title></head><body>
            <h1>Appointments</h1>
            <table id="data" class="grid">
            <thead><tr><th>ID</th><th>Date</th><th>Patient</th><th>Service</th><th>Amount</th><th>Status</th></tr></thead>
            <tbody>

            """
        html.reserveCapacity(rows * 180 + 1024)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<rows {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let random = Int(truncatingIfNeeded: state >> 33)
            let id = String(index + 1)
            let padded = String(repeating: "0", count: max(0, 6 - id.count)) + id
            let day = random % 28 + 1
            html += "<tr><td><a href=\"/a/\(id)\">A-\(padded)</a></td><td>2024-03-\(day < 10 ? "0" : "")\(day)</td>"
            html += "<td>\(patients[random % patients.count])</td><td>\(services[(random >> 3) % services.count])</td>"
            html += "<td class=\"amount\">\((random >> 5) % 900 + 10).\(String((random >> 12) % 10))0&nbsp;€</td>"
            html += "<td class=\"st\">\(statuses[(random >> 7) % statuses.count])</td></tr>\n"
        }
        html += "</tbody></table>\n<p class=\"pages\"><span class=\"current\">1</span></p>\n</body></html>\n"
        return Data(html.utf8)
    }
}
