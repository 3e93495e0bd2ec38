import Foundation
import Testing
import WebDriver

@Suite("Waits resolved inside the page", .serialized)
struct WaitTests {
    @Test("waits for a table that a script fills after a delay, and returns the element")
    func delayedTable() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/delayed?rows=500&delay=300"))

            let status = try await session.wait(for: .text(Locator("#status"), contains: "Loaded 500 rows"), timeout: .seconds(10))

            #expect(try await status?.text() == "Loaded 500 rows")
            #expect(try await session.findElements(Locator("#data tbody tr")).count == 500)
            let last = try #require(try await session.findElements(Locator("#data tbody tr")).last)
            let cells = try await last.findElements(Locator("td"))
            #expect(cells.count == 5)
            #expect(try await cells.first?.text() == "500")
            #expect(try await last.findElements(Locator("th")).isEmpty)
        }
    }

    @Test("waits for visible, clickable, gone and URL conditions")
    func conditions() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/overlay"))
            #expect(try await session.wait(for: .visible(Locator("#cookie-banner"))) != nil)
            try await session.findElement(Locator("#dismiss")).click()
            try await session.wait(for: .gone(Locator("#cookie-banner")))
            let covered = try #require(try await session.wait(for: .clickable(Locator("#covered"))))
            try await covered.click()

            try await session.navigate(to: sites.clinic("/login"))
            try await session.wait(for: .url(contains: "/login"))
            try await session.wait(for: .idle(quiet: .milliseconds(50)))
        }
    }

    @Test("a wait that runs out names what was awaited, how long, and what was seen")
    func timeout() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))

            let error = await #expect(throws: WebDriverError.self) {
                try await session.wait(for: .visible(Locator("#never-there")), timeout: .milliseconds(300))
            }

            #expect(error?.code == .waitTimeout)
            #expect(error?.locator == Locator("#never-there"))
            #expect(error?.message.contains("waited") == true)
            #expect(error?.message.contains("no element matched") == true)
        }
    }

    @Test("an invalid selector in a wait fails at once as 'invalid selector'")
    func invalidSelector() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            let started = ContinuousClock.now
            let error = await #expect(throws: WebDriverError.self) {
                try await session.wait(for: .present(Locator("div[")), timeout: .seconds(30))
            }
            #expect(error?.code == .invalidSelector)
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}
