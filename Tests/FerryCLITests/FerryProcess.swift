import Foundation
import WebDriver

#if canImport(Glibc)
    import Glibc
#endif

/// The built `ferry` executable, run as a child process the way a person or cron would run it.
struct FerryProcess {
    /// `ferry` is built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ferry")
    }

    let process = Process()
    let output = Pipe()

    init(_ arguments: [String], in directory: URL) {
        process.executableURL = FerryProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = output
    }

    func start() throws { try process.run() }

    /// Reads output until a line contains `marker`, or gives up after `timeout`; returns all lines read.
    func waitForLine(containing marker: String, timeout: Duration) -> [String]? {
        let handle = output.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        var buffer = ""
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let data = handle.availableData
            if data.isEmpty { return nil }
            buffer += String(decoding: data, as: UTF8.self)
            if buffer.contains(marker) { return buffer.components(separatedBy: "\n") }
        }
        return nil
    }

    /// Everything the process writes from now until it ends, read on a thread of its own (not the
    /// cooperative pool) so a chatty process never fills the pipe and blocks.
    func outputUntilEnd() -> Task<String, Never> {
        let handle = output.fileHandleForReading
        return Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
                }
            }
        }
    }

    /// Starts the process and waits for it to end, at most `timeout` (then it is killed): its exit
    /// status, all it wrote, and whether it ended on its own.
    func runToEnd(timeout: Duration) async throws -> (status: Int32, output: String, ended: Bool) {
        try start()
        let text = outputUntilEnd()
        let ended = await waitForExit(timeout: timeout)
        return (process.terminationStatus, await text.value, ended)
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; after `timeout` it is killed (a test never leaves it behind).
    /// Returns whether it ended on its own.
    @discardableResult
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard process.isRunning else { return true }
        signal(SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// Whether a process of the group is still running (zombies waiting to be reaped do not count).
    static func groupIsAlive(_ group: Int32) -> Bool {
        !ChromeDriverService.livingProcesses(inGroup: group).isEmpty
    }

    /// Waits up to `timeout` for every process of a group to end.
    static func waitForGroupToEnd(_ group: Int32, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !groupIsAlive(group) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !groupIsAlive(group)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
