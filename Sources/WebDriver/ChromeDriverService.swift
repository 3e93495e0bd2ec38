import CProcess
import Foundation
import Logging
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// A chromedriver program that Ferry starts and owns: on a free port on 127.0.0.1, in its own process
/// group, and watched so that neither it nor the Chromium it starts outlives Ferry.
///
/// Chromium survives a signal sent only to chromedriver, so ``stop()`` ends the whole process group;
/// a watchdog process does the same if Ferry itself dies, even by SIGKILL.
///
///     let driver = try await ChromeDriverService.start()
///     defer { driver.stop() }
///     let session = try await WebDriverSession.start(at: driver.url, options: BrowserOptions())
public final class ChromeDriverService: Sendable {
    /// Where the remote end listens, e.g. `http://127.0.0.1:39217`.
    public let url: String
    public let port: Int
    /// chromedriver's process id, also its process group id: every Chromium it starts is in the group.
    public let processGroup: Int32
    /// chromedriver's own log, quoted in errors when it fails.
    public let logPath: String
    private let watchdog: Int32
    private let lifeline: Int32
    private let state = ServiceState()

    private init(port: Int, processGroup: Int32, watchdog: Int32, lifeline: Int32, logPath: String) {
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
        self.processGroup = processGroup
        self.watchdog = watchdog
        self.lifeline = lifeline
        self.logPath = logPath
    }

    /// Starts chromedriver and waits until it reports ready.
    /// - Parameters:
    ///   - executable: a path, or a name looked up on `PATH`.
    ///   - port: a port to listen on; `nil` picks a free one.
    ///   - readinessTimeout: how long chromedriver may take to answer `GET /status` with `ready: true`
    ///     (it usually takes a fraction of a second; on a loaded machine, much longer).
    ///   - niceness: added to the scheduling priority of chromedriver and the browsers it starts.
    ///     Browsers are batch work: at the default 10 they yield the CPU to the process that started
    ///     them (the dashboard, the scheduler) when both want it, and lose nothing on an idle machine.
    public static func start(
        executable: String = "chromedriver",
        port: Int? = nil,
        readinessTimeout: Duration = .seconds(60),
        niceness: Int = 10,
        logger: Logger? = nil
    ) async throws(WebDriverError) -> ChromeDriverService {
        let command = "start chromedriver"
        guard let path = ExecutableLookup.find(executable) else {
            throw WebDriverError(
                code: .driverNotFound, command: command,
                message: "'\(executable)' was not found on PATH; install it (apt-get install chromium-driver) or give its path with --chromedriver")
        }
        let chosenPort: Int
        if let port {
            guard LocalPort.isFree(port) else {
                throw WebDriverError(
                    code: .driverFailedToStart, command: command,
                    message: "port \(port) on 127.0.0.1 is in use; choose another port or leave it out to pick a free one")
            }
            chosenPort = port
        } else {
            guard let free = LocalPort.free() else {
                throw WebDriverError(code: .driverFailedToStart, command: command, message: "no free TCP port on 127.0.0.1")
            }
            chosenPort = free
        }

        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-chromedriver-\(chosenPort).log").path
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { if logFD >= 0 { close(logFD) } }

        let arguments = [path, "--port=\(chosenPort)", "--allowed-ips=127.0.0.1"]
        var spawned = ferry_guarded_process()
        let status = CStringArray.withArray(arguments) { argv in
            CStringArray.withArray(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }) { envp in
                ferry_spawn_guarded(path, argv, envp, logFD, Int32(min(max(niceness, 0), 19)), &spawned)
            }
        }
        guard status == 0 else {
            throw WebDriverError(
                code: .driverFailedToStart, command: command,
                message: "could not run \(path): \(String(cString: strerror(status))); check that it is an executable chromedriver")
        }
        let service = ChromeDriverService(
            port: chosenPort, processGroup: spawned.child_pid, watchdog: spawned.watchdog_pid,
            lifeline: spawned.lifeline_fd, logPath: logPath)
        TerminationCleanup.register(service)
        logger?.debug("chromedriver started", metadata: ["pid": "\(spawned.child_pid)", "port": "\(chosenPort)"])
        do throws(WebDriverError) {
            try await service.waitUntilReady(timeout: readinessTimeout)
        } catch {
            service.stop()
            throw error
        }
        return service
    }

    private func waitUntilReady(timeout: Duration) async throws(WebDriverError) {
        let transport: CurlTransport
        do {
            transport = try CurlTransport(timeout: .seconds(2), connectTimeout: .seconds(1))
        } catch {
            throw WebDriverError(code: .driverFailedToStart, command: "GET /status", message: "\(error)")
        }
        let deadline = ContinuousClock.now + timeout
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            if hasExited {
                throw WebDriverError(
                    code: .driverFailedToStart, command: "GET /status",
                    message: "chromedriver exited during start-up; its log says: \(logTail())")
            }
            do throws(TransportError) {
                let response = try await transport.send(HTTPRequest(url: url + "/status"))
                if let value = JSONValue.decode(response.body)?["value"], value["ready"]?.bool == true { return }
                lastProblem = "GET /status answered \(response.status): \(response.text.prefix(200))"
            } catch {
                lastProblem = error.detail
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        throw WebDriverError(
            code: .driverFailedToStart, command: "GET /status",
            message: "chromedriver on port \(port) was not ready after \(timeout) (\(lastProblem)); its log says: \(logTail())")
    }

    /// Whether chromedriver has ended (the watchdog exits as soon as it does).
    public var hasExited: Bool {
        state.withLock { stopped in
            if stopped { return true }
            var status: Int32 = 0
            if waitpid(watchdog, &status, WNOHANG) == watchdog {
                stopped = true
                TerminationCleanup.unregister(self)
                close(lifeline)
                return true
            }
            return false
        }
    }

    /// Ends chromedriver and every Chromium process it started, then reaps the watchdog. Idempotent.
    public func stop() {
        state.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            TerminationCleanup.unregister(self)
            kill(-processGroup, SIGTERM)
            close(lifeline)  // the watchdog now makes sure the group is gone (SIGKILL after a grace period)
            var status: Int32 = 0
            while waitpid(watchdog, &status, 0) == -1 && errno == EINTR {}
            // A killed process takes a moment to exit: return only when none of the group still runs.
            // No member at all, not even a zombie (the usual case: the watchdog reaped them): nothing to scan.
            if kill(-processGroup, 0) == -1, errno == ESRCH { return }
            var attempt = 0
            while attempt < 300, !ChromeDriverService.livingProcesses(inGroup: processGroup).isEmpty {
                if attempt.isMultiple(of: 50) { kill(-processGroup, SIGKILL) }
                usleep(10_000)
                attempt += 1
            }
        }
    }

    /// The processes of a group that are still running (zombies, already dead but not yet reaped by
    /// their new parent, do not count).
    public static func livingProcesses(inGroup group: Int32) -> [(pid: Int32, command: String)] {
        guard group > 1, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var living: [(pid: Int32, command: String)] = []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // The fields after the command name: state, ppid, pgrp, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == group, fields[0] != "Z", fields[0] != "X" else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8))?
                .replacingOccurrences(of: "\u{0}", with: " ") ?? ""
            living.append((pid, command))
        }
        return living
    }

    /// Ends what is left of a process group recorded by an earlier run (for `ferry resume` after a crash),
    /// but only if its processes are chromedriver or Chromium and no watchdog guards them: a group id
    /// reused by another program, or by another live Ferry's (or this process's own) chromedriver, is
    /// left alone. Process ids wrap around (at 32768 on many systems), so on a busy machine a recorded
    /// group id can soon name someone else's browsers. Returns how many processes were signalled.
    @discardableResult
    public static func reap(processGroup group: Int32) -> Int {
        let living = livingProcesses(inGroup: group)
        guard !living.isEmpty, living.allSatisfy({ $0.command.contains("chrom") }),
            !living.contains(where: { isWatchdog(parentOf($0.pid)) })
        else { return 0 }
        kill(-group, SIGKILL)
        return living.count
    }

    /// The name every watchdog gives itself (`prctl(PR_SET_NAME)` in `ferry_spawn_guarded`).
    static let watchdogName = "ferry-watchdog"

    /// The parent process id of a process, from `/proc/<pid>/stat`.
    static func parentOf(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// Whether a living process is a chromedriver's watchdog: while it lives, it ends the group itself
    /// when its owner goes.
    static func isWatchdog(_ pid: Int32?) -> Bool {
        guard let pid, pid > 1, let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return false }
        return name.trimmingCharacters(in: .whitespacesAndNewlines) == watchdogName
    }

    /// The last lines chromedriver wrote, for error messages.
    public func logTail(lines: Int = 5) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log)" }
        let tail = text.split(separator: "\n").suffix(lines).joined(separator: " | ")
        return tail.isEmpty ? "(empty log)" : tail
    }

    deinit {
        stop()
    }
}

/// Whether the service has been stopped, behind a lock so `stop()` is safe from any thread.
private final class ServiceState: @unchecked Sendable {
    // @unchecked: `stopped` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var stopped = false

    func withLock<T>(_ body: (inout Bool) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&stopped)
    }
}
