import Foundation
import Testing
import WebDriver

@Suite("Frames, windows, alerts and cookies", .serialized)
struct ContextTests {
    @Test("switches into a frame by element and by index, and back to the parent")
    func frames() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/frames"))
            await #expect(throws: WebDriverError.self) { try await session.findElement(Locator("#in-frame")) }

            try await session.switchToFrame(try await session.findElement(Locator("#inner")))
            #expect(try await session.findElement(Locator("#in-frame")).text() == "Inside the frame")

            try await session.switchToParentFrame()
            try await session.switchToFrame(index: 0)
            #expect(try await session.findElements(Locator("#in-frame")).count == 1)
            try await session.switchToTopFrame()
            #expect(try await session.findElements(Locator("#inner")).count == 1)
        }
    }

    @Test("follows a link into a new tab, works there, closes it and comes back")
    func windows() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/windows"))
            let original = try await session.windowHandle()
            try await session.findElement(Locator("#open")).click()

            let popup = try await session.waitForNewWindow(besides: [original])
            try await session.switchToWindow(popup)
            try await session.wait(for: .idle(quiet: .milliseconds(50)))
            #expect(try await session.title() == "Popup")

            let remaining = try await session.closeWindow()
            #expect(remaining == [original])
            try await session.switchToWindow(original)
            #expect(try await session.currentURL().hasSuffix("/lab/windows"))
        }
    }

    @Test("reads, accepts and dismisses alerts, and answers a prompt")
    func alerts() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/alert"))

            try await session.findElement(Locator("#alert")).click()
            #expect(try await session.alertText() == "Hello from the clinic")
            try await session.acceptAlert()

            try await session.findElement(Locator("#confirm")).click()
            try await session.dismissAlert()
            #expect(try await session.findElement(Locator("#result")).text() == "dismissed")

            try await session.findElement(Locator("#prompt")).click()
            try await session.sendAlertText("Ferry")
            try await session.acceptAlert()
            #expect(try await session.findElement(Locator("#result")).text().contains("Ferry"))
        }
    }

    @Test("an open alert makes other commands fail with 'unexpected alert open'")
    func unexpectedAlert() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/alert"))
            try await session.findElement(Locator("#alert")).click()
            let error = await #expect(throws: WebDriverError.self) { try await session.title() }
            #expect(error?.code == .unexpectedAlertOpen)
            try await session.acceptAlert()
        }
    }

    @Test("adds, reads and deletes cookies")
    func cookies() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            try await session.addCookie(Cookie(name: "ferry_test", value: "42", path: "/"))
            #expect(try await session.cookie(named: "ferry_test")?.value == "42")
            #expect(try await session.cookies().contains { $0.name == "ferry_test" })
            try await session.deleteCookie(named: "ferry_test")
            #expect(try await session.cookie(named: "ferry_test") == nil)
        }
    }
}
