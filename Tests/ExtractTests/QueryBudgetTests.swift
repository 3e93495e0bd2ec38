import Extract
import Testing

@Suite("XPath queries run within a time budget")
struct QueryBudgetTests {
    @Test("a pathological XPath is stopped at its budget with an error naming it")
    func slowXPath() throws {
        // 36,000 text nodes: the full query takes seconds (quadratic merging), far past a 20 ms budget.
        let page = try HTMLDocument(html: ExtractFixture.page(rows: 6000))
        page.queryBudget = .milliseconds(20)
        let clock = ContinuousClock()
        var error: ExtractError?
        let elapsed = clock.measure {
            error = #expect(throws: ExtractError.self) { try page.select("//td//text()") }
        }
        #expect(error?.code == .queryTooSlow)
        #expect(error?.subject == "//td//text()")
        #expect(error?.message.contains("20 ms budget") == true)
        #expect(elapsed < .seconds(2))
    }

    @Test("the document stays usable after a stopped query")
    func usableAfterStop() throws {
        let page = try HTMLDocument(html: ExtractFixture.page(rows: 3000))
        page.queryBudget = .milliseconds(10)
        _ = try? page.select("//td//text()")
        page.queryBudget = .seconds(5)
        #expect(try page.select("//table[@id='data']/tbody/tr/td/text()").count == 18000)
        #expect(try page.table("#data").count == 3000)
    }

    @Test("an invalid expression is still .invalidXPath, not a budget error")
    func invalidIsNotSlow() throws {
        let page = try HTMLDocument(html: "<p>x</p>")
        let syntax = #expect(throws: ExtractError.self) { try page.select("//p[") }
        #expect(syntax?.code == .invalidXPath)
        let function = #expect(throws: ExtractError.self) { try page.select("//p[nosuch()]") }
        #expect(function?.code == .invalidXPath)
    }
}
