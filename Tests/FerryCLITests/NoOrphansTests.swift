import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("No orphaned browsers: however ferry ends, chromedriver and Chromium end with it", .serialized)
struct NoOrphansTests {
    /// Starts `ferry demo --hold-open` and returns it with the process group of its browser.
    func startHoldingDemo() throws -> (FerryProcess, Int32) {
        let ferry = FerryProcess(["demo", "--login-only", "--hold-open"], in: try FerryProcess.temporaryDirectory())
        try ferry.start()
        guard let lines = ferry.waitForLine(containing: "holding the browser open", timeout: .seconds(60)) else {
            ferry.signal(SIGKILL)  // its watchdog then ends the browser: the failing test leaves nothing behind
            ferry.process.waitUntilExit()
            throw CancellationError()
        }
        let line = try #require(lines.first { $0.contains("holding the browser open") })
        let group = try #require(line.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .punctuationCharacters)) }.first)
        #expect(FerryProcess.groupIsAlive(group))
        return (ferry, group)
    }

    @Test("SIGKILL to ferry: the watchdog ends chromedriver and Chromium within 3 s")
    func sigkill() async throws {
        let (ferry, group) = try startHoldingDemo()

        ferry.signal(SIGKILL)
        ferry.process.waitUntilExit()

        #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(3)))
    }

    @Test("Ctrl-C (SIGINT): ferry stops the browser itself and exits with status 130")
    func sigint() async throws {
        let (ferry, group) = try startHoldingDemo()

        ferry.signal(SIGINT)
        #expect(await ferry.waitForExit(timeout: .seconds(10)), "ferry did not stop on Ctrl-C")

        #expect(ferry.process.terminationStatus == 130)
        #expect(await FerryProcess.waitForGroupToEnd(group, timeout: .seconds(3)))
    }

    @Test("the demo logs in and leaves a PNG screenshot of the logged-in Clinic page, then exits 0")
    func demo() async throws {
        let directory = try FerryProcess.temporaryDirectory()
        let ferry = FerryProcess(["demo", "--login-only"], in: directory)
        try ferry.start()
        #expect(await ferry.waitForExit(timeout: .seconds(120)))
        let output = String(decoding: ferry.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        #expect(ferry.process.terminationStatus == 0, "\(output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("screenshots").path)
        #expect(files.contains { $0.hasPrefix("demo-clinic-appointments-") && $0.hasSuffix(".png") })
        #expect(output.contains("Demo finished."))
    }
}
