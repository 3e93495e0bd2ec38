import Foundation
import Testing
import WebDriver

@Suite("Navigation, page source, screenshots and PDF", .serialized)
struct NavigationTests {
    @Test("navigates, goes back and forward, refreshes, and reads title, URL and source")
    func history() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            try await session.navigate(to: sites.clinic("/lab/form"))
            try await session.back()
            #expect(try await session.currentURL().hasSuffix("/login"))
            try await session.forward()
            #expect(try await session.currentURL().hasSuffix("/lab/form"))
            try await session.refresh()
            #expect(try await session.pageSource().contains("id=\"notes\""))
        }
    }

    @Test("takes PNG screenshots of the page, the full page and one element, and prints a PDF")
    func captures() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
            #expect(try await session.screenshot().starts(with: png))
            #expect(try await session.fullPageScreenshot().starts(with: png))
            #expect(try await session.findElement(Locator("#username")).screenshot().starts(with: png))
            #expect(try await session.printPDF().starts(with: Array("%PDF".utf8)))
        }
    }
}
