import Foundation
import Testing
@testable import WebDriver

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

    @Test("chromedriver and every Chromium thread stay at the niceness they were started with, even when run as root")
    func browsersStayNice() async throws {
        let driver = try await ChromeDriverService.start(niceness: 10)
        defer { driver.stop() }
        let session = try await WebDriverSession.start(at: driver.url)
        try await session.navigate(to: "data:text/html,<p>busy</p>")

        let processes = ChromeDriverService.livingProcesses(inGroup: driver.processGroup)
        #expect(processes.contains { $0.command.contains("chromium") })
        // Chromium raises its display and I/O threads' priority (nice -8) when it may, which as root
        // it could: the browsers then took CPU from the dashboard and the scheduler they were meant to yield to.
        let tooEager = processes.flatMap { process in
            Self.threadNiceness(of: process.pid).filter { $0.nice < 10 }.map { "\(process.command.prefix(40)) thread \($0.thread): nice \($0.nice)" }
        }
        #expect(tooEager.isEmpty, "\(tooEager.prefix(5))")

        // Where the kernel shares CPU between sessions first (autogroup), niceness counts only inside a
        // session: the browsers need a session of their own whose group is the nicer one.
        if let ours = Self.autogroup(of: getpid()) {
            for process in processes {
                let theirs = try #require(Self.autogroup(of: process.pid))
                #expect(theirs.name != ours.name, "\(process.command.prefix(40)) shares the test's autogroup")
                #expect(theirs.nice >= 10, "\(process.command.prefix(40)) is in an autogroup at nice \(theirs.nice)")
            }
        }
    }

    /// A process's autogroup and its niceness, from `/proc/PID/autogroup` ("/autogroup-25 nice 0"); `nil`
    /// where the kernel has no autogroups.
    static func autogroup(of pid: Int32) -> (name: String, nice: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/autogroup", encoding: .utf8) else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 3, let nice = Int(words[2]) else { return nil }
        return (String(words[0]), nice)
    }

    /// Each thread's niceness, from field 19 of `/proc/PID/task/TID/stat`.
    static func threadNiceness(of pid: Int32) -> [(thread: Int32, nice: Int)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { entry in
            guard let thread = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the command: state is field 3, so nice (field 19) is the 17th here.
            guard fields.count > 16, let nice = Int(fields[16]) else { return nil }
            return (thread, nice)
        }
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
    @Test("reap leaves a group its watchdog guards alone (a recorded group id reused by a live driver), and ends one left without it")
    func reapOnlyLeftovers() async throws {
        let driver = try await ChromeDriverService.start()
        defer { driver.stop() }
        let session = try await WebDriverSession.start(at: driver.url)
        try await session.navigate(to: "about:blank")

        #expect(ChromeDriverService.reap(processGroup: driver.processGroup) == 0)
        try await session.navigate(to: "about:blank")
        #expect(Self.groupIsAlive(driver.processGroup))

        // Its watchdog killed too (a crash that took the whole process tree): the group is a leftover.
        let watchdog = try #require(ChromeDriverService.parentOf(driver.processGroup))
        #expect(ChromeDriverService.isWatchdog(watchdog))
        kill(watchdog, SIGKILL)
        var waited = 0
        while ChromeDriverService.parentOf(driver.processGroup) == watchdog, waited < 1000 {
            usleep(10_000)
            waited += 1
        }
        #expect(ChromeDriverService.reap(processGroup: driver.processGroup) > 0)
        waited = 0
        while Self.groupIsAlive(driver.processGroup), waited < 1000 {
            usleep(10_000)
            waited += 1
        }
        #expect(!Self.groupIsAlive(driver.processGroup))
    }
    @Test("a chromedriver too busy to accept connections for seconds (a loaded machine) is waited for, not called unreachable")
    func busyDriver() async throws {
        let driver = try await ChromeDriverService.start()
        defer { driver.stop() }
        // Stopped, it accepts nothing: past its listen backlog of 5, the kernel drops new connections,
        // as when a loaded machine leaves it no CPU, and clients retry after 1 s, 3 s, 7 s.
        kill(driver.processGroup, SIGSTOP)
        let resumed = Task {
            try await Task.sleep(for: .seconds(6))
            kill(driver.processGroup, SIGCONT)
        }
        let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let client = try WebDriverClient(baseURL: driver.url)
                    return try await client.execute("GET", "/status")["ready"]?.bool == true
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        try await resumed.value
        #expect(answers == Array(repeating: true, count: 10))
    }
}
