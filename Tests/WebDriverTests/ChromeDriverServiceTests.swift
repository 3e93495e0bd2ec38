import Foundation
import Testing
import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ChromeDriverService", .serialized)
struct ChromeDriverServiceTests {
    /// Whether any process of the group is still running.
    static func groupIsAlive(_ group: Int32) -> Bool {
        !ChromeDriverService.livingProcesses(inGroup: group).isEmpty
    }

    @Test("stop() ends chromedriver and every Chromium process it started")
    func stopLeavesNothing() async throws {
        let driver = try await ChromeDriverService.start()
        let session = try await WebDriverSession.start(at: driver.url)
        try await session.navigate(to: "about:blank")
        #expect(Self.groupIsAlive(driver.processGroup))

        #expect(ChromeDriverService.livingProcesses(inGroup: driver.processGroup).contains { $0.command.contains("chromium") })

        driver.stop()

        #expect(!Self.groupIsAlive(driver.processGroup))
        #expect(driver.hasExited)
    }

    @Test("a chromedriver that is not installed is a clear error saying how to install it")
    func notInstalled() async throws {
        let error = await #expect(throws: WebDriverError.self) {
            try await ChromeDriverService.start(executable: "/nonexistent/chromedriver")
        }
        #expect(error?.code == .driverNotFound)
        #expect(error?.message.contains("apt-get install chromium-driver") == true)
    }

    @Test("a port in use is refused with the port named")
    func portInUse() async throws {
        let first = try await ChromeDriverService.start()
        defer { first.stop() }

        let error = await #expect(throws: WebDriverError.self) {
            try await ChromeDriverService.start(port: first.port)
        }

        #expect(error?.code == .driverFailedToStart)
        #expect(error?.message.contains("port \(first.port)") == true)
    }

    @Test("a browser that crashes at start is 'session not created' with a hint to check Chromium")
    func browserCrashes() async throws {
        let driver = try await ChromeDriverService.start()
        defer { driver.stop() }
        var options = BrowserOptions()
        options.binary = "/bin/false"

        let error = await #expect(throws: WebDriverError.self) {
            try await WebDriverSession.start(at: driver.url, options: options)
        }

        #expect(error?.code == .sessionNotCreated)
        #expect(error?.message.contains("Chromium") == true)
    }

    @Test("a program that is not chromedriver fails to become ready, with its output quoted")
    func notADriver() async throws {
        let error = await #expect(throws: WebDriverError.self) {
            try await ChromeDriverService.start(executable: "/bin/true", readinessTimeout: .seconds(2))
        }
        #expect(error?.code == .driverFailedToStart)
    }
}
