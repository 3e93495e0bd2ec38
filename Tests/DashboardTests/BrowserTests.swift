import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WebDriver

/// Ferry's own WebDriver client drives the dashboard in real Chromium, as an operator would, and
/// saves a screenshot of each view under `.build/dashboard-screenshots/`.
@Suite("The dashboard in Chromium: sign in, work the exception queue, read the audit log")
struct BrowserTests {
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/dashboard-screenshots").path

    @Test("an operator signs in, retries one item, overrides another with a reason, and finds both in the audit log")
    func operatorWorksTheQueue() async throws {
        let harness = try await DashboardHarness.make()
        try FileManager.default.createDirectory(atPath: Self.screenshots, withIntermediateDirectories: true)
        let app = Application(router: harness.dashboard.makeRouter(), configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let driver = try await ChromeDriverService.start()
            defer { driver.stop() }
            var options = BrowserOptions()
            options.windowWidth = 1280
            options.windowHeight = 900
            let session = try await WebDriverSession.start(at: driver.url, options: options)
            do {
                try await Self.plantRealScreenshot(session, harness: harness)
                try await Self.walkThrough(session, base: base, harness: harness)
                try await session.quit()
            } catch {
                try? await session.quit()
                throw error
            }
        }
        // What the browser did is in the store.
        #expect(try harness.item("A-2").state == .new)
        let overridden = try harness.item("A-5")
        #expect(overridden.state == .new)
        #expect(overridden.payload["amount"] == "55.00")
    }

    /// The harness's screenshot artifact is a stub: replace it with a real picture of a failing page,
    /// so the queue's thumbnail shows what an operator would see.
    static func plantRealScreenshot(_ session: WebDriverSession, harness: DashboardHarness) async throws {
        let page = "<body style='font-family:sans-serif;margin:40px'><h2>Ledger - New entry</h2>"
            + "<ul style='color:#b3261e'><li>Amount is required</li></ul><p>Appointment A-2</p></body>"
        try await session.navigate(to: "data:text/html," + (page.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        let png = try await session.screenshot()
        try png.write(to: URL(fileURLWithPath: harness.folder + "/screenshots/run-1/enter-A-2.png"))
    }

    static func walkThrough(_ session: WebDriverSession, base: String, harness: DashboardHarness) async throws {
        // Signing in: a visitor is sent to the sign-in page.
        try await session.navigate(to: base + "/")
        #expect(try await session.currentURL().contains("/sign-in"))
        try await save(session, "01-sign-in")
        try await session.fill(Locator("#name"), with: "alice")
        try await session.fill(Locator("#password"), with: DashboardHarness.password)
        try await session.findElement(Locator("#sign-in")).click()
        _ = try await session.wait(for: .visible(Locator("section.tiles")))
        #expect(try await session.findElement(Locator("[data-live=needs_review]")).text() == "2")
        try await save(session, "02-live-status")

        // The exception queue: retry A-2 with one click.
        try await session.findElement(Locator("nav a[href=\"/exceptions\"]")).click()
        _ = try await session.wait(for: .visible(Locator("section.group")))
        try await save(session, "03-exception-queue")
        try await session.findElement(Locator("#item-\(harness.id("A-2")) button.retry")).click()
        let notice = try #require(try await session.wait(for: .visible(Locator("p.notice"))))
        #expect(try await notice.text().contains("is back in the queue"))
        try await save(session, "04-queue-after-retry")

        // Override A-5: edit the amount, give the reason.
        try await session.findElement(Locator("#item-\(harness.id("A-5")) a.button")).click()
        _ = try await session.wait(for: .visible(Locator("#override")))
        try await session.fill(Locator("input[name='field.amount']"), with: "55.00")
        try await session.fill(Locator("#override-reason"), with: "amount confirmed by the clinic by phone")
        try await save(session, "05-item-override-form")
        try await session.findElement(Locator("#override-submit")).click()
        _ = try await session.wait(for: .visible(Locator("p.notice")))

        // The audit log on the detail page names the operator and the reason.
        let audit = try await session.findElement(Locator("table.audit")).text()
        #expect(audit.contains("operator:alice"))
        #expect(audit.contains("override: amount confirmed by the clinic by phone"))
        #expect(audit.contains("needs_review → new"))
        try await save(session, "06-item-after-override")

        try await session.navigate(to: base + "/items/\(harness.id("A-2"))")
        let retried = try await session.findElement(Locator("table.audit")).text()
        #expect(retried.contains("operator:alice"))
        #expect(retried.contains("retry"))

        try await session.navigate(to: base + "/runs/run-1")
        _ = try await session.wait(for: .visible(Locator("table.audit")))
        try await save(session, "07-run-detail")
        try await session.navigate(to: base + "/activity")
        try await save(session, "08-activity")
        // The page works without its script, and the script loaded under the CSP: no console needed,
        // the figure is there either way.
        try await session.navigate(to: base + "/")
        #expect(try await session.findElement(Locator("[data-live=new]")).text() == "3")
    }

    static func save(_ session: WebDriverSession, _ name: String) async throws {
        let png = try await session.fullPageScreenshot()
        try png.write(to: URL(fileURLWithPath: screenshots + "/\(name).png"))
    }
}
