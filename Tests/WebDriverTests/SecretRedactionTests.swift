import Foundation
import Logging
import Synchronization
import Testing
import WebDriver

/// Collects log lines in memory so a test can search them.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    func handler(label: String) -> some LogHandler { CapturingHandler(log: self) }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.lines.withLock { $0.append("\(event.message)") }
        }
    }
}

@Suite("Secret values never reach logs or errors", .serialized)
struct SecretRedactionTests {
    @Test("a password marked secret is redacted from every logged command")
    func logsRedacted() async throws {
        let captured = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturedLog.CapturingHandler(log: captured) }
        let secret = "s3cr3t-Pa55word-\(UUID().uuidString.prefix(6))"
        let environment = try await BrowserHarness.shared.environment()
        let secrets = SecretValues()
        secrets.mark(secret)
        let session = try await WebDriverSession.start(at: environment.driver.url, logger: logger, secrets: secrets)
        do {
            try await session.navigate(to: environment.sites.clinic("/login"))
            try await session.fill(Locator("input[name=pwd]"), with: secret)
            try await session.findElement(Locator("input[name=pwd]")).sendKeys(secret)
            try await session.quit()
        } catch {
            try? await session.quit()
            throw error
        }

        let lines = captured.lines.withLock { $0 }
        #expect(lines.count > 3)
        #expect(lines.contains { $0.contains("•••") })
        #expect(!lines.contains { $0.contains(secret) })
    }

    @Test("redaction replaces every occurrence, longest secret first")
    func redact() {
        let secrets = SecretValues()
        secrets.mark("abc")
        secrets.mark("abcdef")
        #expect(secrets.redact("x abcdef y abc z") == "x ••• y ••• z")
        #expect(secrets.redact("no secrets here") == "no secrets here")
    }

    @Test("redaction finds a secret at either end, next to itself, beside non-ASCII text, and in a large page")
    func redactEdges() {
        let secrets = SecretValues()
        secrets.mark("pässwörd")
        secrets.mark("aab")
        #expect(secrets.redact("pässwörd") == "•••")
        #expect(secrets.redact("pässwördpässwörd.") == "••••••.")
        #expect(secrets.redact("é aaab ü") == "é a••• ü")  // a false start ("aa") before the match
        #expect(secrets.redact("pässwör") == "pässwör")
        #expect(secrets.redact("") == "")
        let page = String(repeating: "<tr><td>row</td></tr>", count: 20_000)
        let planted = page + "<input value=\"pässwörd\">" + page
        let redacted = secrets.redact(planted)
        #expect(!redacted.contains("pässwörd"))
        #expect(redacted.utf8.count == planted.utf8.count - "pässwörd".utf8.count + "•••".utf8.count)
    }
}
