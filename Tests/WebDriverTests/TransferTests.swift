import Crypto
import FixtureSites
import Foundation
import Testing
import WebDriver

@Suite("Downloads and uploads", .serialized)
struct TransferTests {
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-downloads-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func logIn(_ session: WebDriverSession, at sites: FixtureEndpoints) async throws {
        try await session.navigate(to: sites.clinic("/login"))
        try await session.fill(Locator("#username"), with: FixtureCredentials.clinicUser)
        try await session.fill(Locator("input[name=pwd]"), with: FixtureCredentials.clinicPassword)
        try await session.findElement(Locator("text=Sign in")).click()
        try await session.wait(for: .visible(Locator("a.logout")))
    }

    @Test("clicking Export CSV returns the landed file with its size and sha256, and a second lands beside it, not over it")
    func download() async throws {
        var options = BrowserOptions()
        options.downloadDirectory = try Self.temporaryFolder()
        try await BrowserHarness.withSession(options) { session, sites in
            try await Self.logIn(session, at: sites)
            try await session.navigate(to: sites.clinic("/appointments?date=2026-11-20"))

            let file = try await session.download(clicking: try await session.findElement(Locator("#export")))

            let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
            #expect(file.size == data.count)
            #expect(file.sha256 == SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
            #expect(String(decoding: data, as: UTF8.self).hasPrefix("appointment_id,"))
            #expect(!FileManager.default.fileExists(atPath: file.path + ".crdownload"))

            let second = try await session.download(clicking: try await session.findElement(Locator("#export")))
            #expect(second.path != file.path)
            #expect(second.sha256 == file.sha256)
        }
    }

    @Test("a download that never finishes fails with a timeout naming the partial file")
    func neverEnding() async throws {
        var options = BrowserOptions()
        options.downloadDirectory = try Self.temporaryFolder()
        try await BrowserHarness.withSession(options) { session, sites in
            try await session.navigate(to: sites.clinic("/lab/download-slow"))
            let link = try await session.findElement(Locator("xpath=//a[contains(@href, 'never-ending')]"))

            let error = await #expect(throws: WebDriverError.self) {
                try await session.download(clicking: link, timeout: .seconds(2))
            }

            #expect(error?.code == .waitTimeout)
            #expect(error?.message.contains("did not finish") == true)
        }
    }

    @Test("sets a file on an input[type=file]; a missing file is refused before the browser sees it")
    func upload() async throws {
        let folder = try Self.temporaryFolder()
        let path = folder + "/entries.csv"
        try Data("appointment_id\n".utf8).write(to: URL(fileURLWithPath: path))
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let input = try await session.findElement(Locator("#file"))

            try await input.upload(file: path)
            try await session.wait(for: .text(Locator("#file-name"), contains: "entries.csv"))

            let error = await #expect(throws: WebDriverError.self) { try await input.upload(file: folder + "/missing.csv") }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("does not exist") == true)
        }
    }
}
