import Foundation
import Store
import Testing

/// Opening the store from several processes at once, as `ferry serve` and `ferry worker` started together
/// on a new installation do.
@Suite("Opening one new store from several processes")
struct StoreOpeningTests {
    @Test("every process opens it, and the migrations they race are applied once")
    func racedMigrations() async throws {
        for trial in 1...6 {
            let directory = try FerryProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("ferry.db").path
            let processes = (1...6).map { _ in FerryProcess(["store", "migrate", "--store", path], in: directory) }
            for process in processes { try process.start() }
            let outputs = processes.map { $0.outputUntilEnd() }
            for (process, output) in zip(processes, outputs) {
                #expect(await process.waitForExit(timeout: .seconds(60)))
                let said = await output.value
                #expect(process.process.terminationStatus == 0, "trial \(trial): \(said)")
            }
            #expect(try StoreDatabase(path: path).appliedMigrations().count == 7)
        }
    }
}
