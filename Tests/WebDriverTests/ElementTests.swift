import Foundation
import Testing
import WebDriver

@Suite("Elements: fill, type, select, check, read state", .serialized)
struct ElementTests {
    @Test("fill sets the value in one call and fires the input event the page listens for")
    func fill() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let long = String(repeating: "Lovelace ", count: 40)

            try await session.fill(Locator("#live"), with: long)

            #expect(try await session.findElement(Locator("#live")).property("value").string == long)
            #expect(try await session.findElement(Locator("#mirror")).text() == long.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("send keys types real keystrokes, including special keys")
    func typing() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let field = try await session.findElement(Locator("#name"))
            try await field.sendKeys("Adx" + Key.backspace + "a")
            #expect(try await field.property("value").string == "Ada")
            try await field.clear()
            #expect(try await field.property("value").string == "")
        }
    }

    @Test("select chooses by value or visible text, and lists the options when none matches")
    func select() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let colors = try await session.findElement(Locator("#color"))
            try await colors.select("green")
            #expect(try await colors.property("value").string == "green")

            let error = await #expect(throws: WebDriverError.self) { try await colors.select("purple") }
            #expect(error?.code == .noSuchElement)
            #expect(error?.message.contains("purple") == true, "\(String(describing: error))")
        }
    }

    @Test("checkboxes are ticked and unticked; state, rect and attributes are read")
    func state() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let agree = try await session.findElement(Locator("#agree"))
            try await agree.setChecked(true)
            #expect(try await agree.isSelected())
            try await agree.setChecked(false)
            #expect(try await !agree.isSelected())
            #expect(try await agree.isEnabled())
            #expect(try await agree.isDisplayed())
            #expect(try await agree.tagName() == "input")
            #expect(try await agree.attribute("type") == "checkbox")
            #expect(try await agree.rect().width > 0)
        }
    }

    @Test("fill on something that is not a field says so")
    func fillNotAField() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/form"))
            let error = await #expect(throws: WebDriverError.self) { try await session.fill(Locator("label=Colour"), with: "x") }
            #expect(error != nil)
            let missing = await #expect(throws: WebDriverError.self) { try await session.fill(Locator("#nope"), with: "x") }
            #expect(missing?.code == .noSuchElement)
            #expect(missing?.locator == Locator("#nope"))
        }
    }

    @Test("an element replaced by the page is found again by its locator, once")
    func staleElement() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/stale"))
            let target = try await session.findElement(Locator("#target"))
            try await session.findElement(Locator("#refresh")).click()

            try await target.click()  // the old reference is stale; the click re-finds #target

            #expect(try await session.findElement(Locator("#count")).text() == "1")
        }
    }

    @Test("a click on a covered element is 'intercepted' and names the covering element")
    func interceptedClick() async throws {
        try await BrowserHarness.withSession { session, sites in
            try await session.navigate(to: sites.clinic("/lab/overlay"))

            let error = await #expect(throws: WebDriverError.self) { try await session.findElement(Locator("#covered")).click() }

            #expect(error?.code == .elementClickIntercepted)
            #expect(error?.message.contains("cookie-banner") == true)
            #expect(error?.locator == Locator("#covered"))
        }
    }
}
