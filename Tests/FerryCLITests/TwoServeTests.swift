import Foundation
import PostgresStore
import PostgresTestServer
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Two `ferry serve` on one store and one folder of schedules, as two hosts behind one database would be:
/// every slot is started by exactly one of them.
@Suite("Two ferry serve on one store", .serialized)
struct TwoServeTests {
    /// Flows due at midnight with no deadline: a serve that starts later in the day catches today's slot up at
    /// once, so both processes race for every slot the moment they start.
    static func scheduledFlows(in folder: URL, count: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for number in 1...count {
            try """
                flow: nightly-\(number)
                description: A scheduled flow two processes race to start.
                schedule:
                  daily: "00:00"
                  timezone: UTC
                stages:
                  - name: pause
                    steps:
                      - wait: 1s
                """.write(to: folder.appendingPathComponent("nightly-\(number).yaml"), atomically: true, encoding: .utf8)
        }
    }

    @Test("each slot runs once, whichever process sees it first", arguments: SharedStoreKind.tested)
    func eachSlotOnce(_ kind: SharedStoreKind) async throws {
        let directory = try FerryProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let flows = directory.appendingPathComponent("flows")
        let flowCount = 10
        try Self.scheduledFlows(in: flows, count: flowCount)
        let shared = try kind.make(in: directory)
        let store = shared.arguments

        let serves = (1...2).map { _ in FerryProcess(["serve", "--port", "0", "--flows", flows.path] + store, in: directory) }
        for serve in serves { try serve.start() }
        defer { for serve in serves where serve.process.isRunning { serve.signal(SIGKILL) } }
        let outputs = serves.map { $0.outputUntilEnd() }

        // Both are up and both have looked at the folder; every flow's run has finished.
        let opened = try shared.open()
        let deadline = ContinuousClock.now + .seconds(60)
        var finished: [RunRecord] = []
        while ContinuousClock.now < deadline {
            finished = try opened.runs(flow: nil, limit: 100).filter { $0.state == .succeeded }
            if finished.count >= flowCount { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        // A few more ticks of both schedulers, in which a second start would show.
        try await Task.sleep(for: .seconds(6))
        for serve in serves { serve.signal(SIGTERM) }
        for serve in serves { await serve.waitForExit(timeout: .seconds(20)) }
        let printed = await outputs.asyncMap { await $0.value }

        let runs = try opened.runs(flow: nil, limit: 100)
        #expect(runs.count == flowCount, "runs: \(runs.map { "\($0.flow) \($0.state)" }) — output: \(printed.map { String($0.suffix(1500)) })")
        #expect(runs.count == Set(runs.map(\.flow)).count, "a slot ran twice: \(runs.map(\.flow).sorted())")
        #expect(runs.allSatisfy { $0.state == .succeeded }, "\(runs.map { "\($0.flow) \($0.state) \($0.failure ?? "")" })")
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        for number in 1...flowCount {
            let slot = try #require(try opened.lastSlot(flow: "nightly-\(number)"))
            #expect(slot.slot.hasPrefix(today), "nightly-\(number): \(slot.slot)")
            #expect(slot.outcome == "started")
        }
        #expect(try opened.verifyAuditLog().isIntact)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
