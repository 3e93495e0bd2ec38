import Extract
import Foundation
import Testing

@Suite("HTMLDocument")
struct HTMLDocumentTests {
    @Test("recovers a table from legacy markup: no tbody, unclosed cells and rows")
    func brokenMarkup() throws {
        let page = try HTMLDocument(html: """
            <html><body><table id=appointments>
            <tr><th>ID<th>Patient
            <tr><td>A-1<td>Ada Lovelace
            <tr><td>A-2<td>Alan Turing
            </table>
            """)

        let rows = try page.select("//table[@id='appointments']//tr[td]")

        #expect(rows.count == 2)
        #expect(try rows.map { try $0.select("./td").map(\.normalizedText) } == [["A-1", "Ada Lovelace"], ["A-2", "Alan Turing"]])
    }

    @Test("normalised text collapses whitespace and non-breaking spaces, as a person reads a cell")
    func normalizedText() throws {
        let cell = try #require(try HTMLDocument(html: "<td>\n  Ada&nbsp;&nbsp; Lovelace \t</td>").first("//td"))
        #expect(cell.normalizedText == "Ada Lovelace")
    }

    @Test("reads attributes, and nil for a missing one")
    func attributes() throws {
        let page = try HTMLDocument(html: "<a class='next' href='/appointments?page=2'>Next</a>")
        let link = try #require(try page.first("//a[@class='next']"))

        #expect(link.attribute("href") == "/appointments?page=2")
        #expect(link.attribute("rel") == nil)
        #expect(link.name == "a")
    }

    @Test("an invalid XPath is an error naming the expression")
    func invalidXPath() throws {
        let page = try HTMLDocument(html: "<p>x</p>")

        let error = #expect(throws: ExtractError.self) { try page.select("//p[") }

        #expect(error?.code == .invalidXPath)
        #expect(error?.subject == "//p[")
    }

    @Test("a document over the size limit is refused before parsing")
    func sizeLimit() {
        let error = #expect(throws: ExtractError.self) {
            try HTMLDocument(data: Data(repeating: 65, count: 2048), origin: "big.html", sizeLimit: 1024)
        }
        #expect(error?.code == .documentTooLarge)
        #expect(error?.description.contains("big.html") == true)
    }

    @Test("external entities are never loaded")
    func noExternalEntities() throws {
        let page = try HTMLDocument(html: """
            <!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">]><p id=x>&secret;</p>
            """)
        #expect(try page.first("//p")?.text.contains("root:") == false)
    }
}
