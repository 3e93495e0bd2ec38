import FixtureSites
import Foundation
import Testing
import WebDriver

@Suite("Walking skeleton: log in to the Clinic portal in real Chromium", .serialized)
struct WalkingSkeletonTests {
    @Test("finds the login form, types, clicks, lands on the appointments and takes a PNG screenshot")
    func logsIn() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            #expect(try await session.title().contains("Clinic"))

            try await session.findElement(Locator("#username")).sendKeys(FixtureCredentials.clinicUser)
            try await session.findElement(Locator("input[name=pwd]")).sendKeys(FixtureCredentials.clinicPassword)
            try await session.findElement(Locator("text=Sign in")).click()

            #expect(try await session.currentURL().contains("/appointments"))
            #expect(try await session.findElement(Locator("a.logout")).text() == "Log out")
            let png = try await session.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test("a missing element is a 'no such element' error that names the locator")
    func missingElement() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))

            let error = await #expect(throws: WebDriverError.self) {
                try await session.findElement(Locator("#no-such-field"))
            }

            #expect(error?.code == .noSuchElement)
            #expect(error?.locator == Locator("#no-such-field"))
            #expect(error?.description.contains("#no-such-field") == true)
        }
    }

    @Test("text= and label= selectors resolve to the element a person means")
    func textAndLabel() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            let button = try await session.findElement(Locator("text=Sign in"))  // the button, not the "Sign in" heading
            #expect(try await button.tagName() == "button")
            #expect(try await button.attribute("type") == "submit")
            #expect(try await session.findElement(Locator("text=Clinic Portal")).tagName() != "")
            #expect(try await session.findElements(Locator("xpath=//input[@name='csrf_token']")).count == 1)

            try await session.navigate(to: sites.clinic("/lab/form"))
            #expect(try await session.findElement(Locator("label=Colour:")).attribute("id") == "color")
            #expect(try await session.findElement(Locator("label=I agree")).attribute("id") == "agree")
        }
    }

    @Test("an invalid CSS selector is reported as 'invalid selector'")
    func invalidSelector() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/login"))
            let error = await #expect(throws: WebDriverError.self) { try await session.findElement(Locator("input[name=")) }
            #expect(error?.code == .invalidSelector)
        }
    }
}
