import Extract
import Foundation
import Testing

@Suite("HTML parsing of broken and hostile pages")
struct HTMLParsingTests {
    @Test("a page over 50 MB is refused before parsing, with a message saying what to do")
    func fiftyMegabyteCap() {
        let data = Data(repeating: UInt8(ascii: "a"), count: HTMLDocument.defaultSizeLimit + 1)
        let error = #expect(throws: ExtractError.self) { try HTMLDocument(data: data, origin: "huge.html") }
        #expect(error?.code == .documentTooLarge)
        #expect(error?.message.contains("50.0 MB limit") == true)
    }

    @Test("nesting past libxml2's depth limit is refused, not returned truncated, and does not crash")
    func deepNesting() {
        let html = String(repeating: "<div>", count: 100_000) + "x" + String(repeating: "</div>", count: 100_000)
        let error = #expect(throws: ExtractError.self) { try HTMLDocument(html: html, origin: "deep.html") }
        #expect(error?.code == .documentTooDeep)
    }

    @Test("nesting under the limit reads fine")
    func nestedTablesWithinLimit() throws {
        let html = String(repeating: "<table><tr><td>", count: 50) + "core" + String(repeating: "</td></tr></table>", count: 50)
        let page = try HTMLDocument(html: html)
        #expect(try page.select("//td").count == 50)
    }

    @Test("an empty document is a clear error")
    func emptyDocument() {
        #expect(throws: ExtractError.self) { try HTMLDocument(data: Data(), origin: "empty.html") }
        let error = #expect(throws: ExtractError.self) { try HTMLDocument(html: "   \n", origin: "blank.html") }
        #expect(error?.code == .unreadableDocument)
    }

    @Test("UTF-8 bytes read as UTF-8 even when the page's meta declares ISO-8859-1")
    func lyingMetaCharset() throws {
        let page = try HTMLDocument(data: Data("<meta charset='iso-8859-1'><p>Café Zoë</p>".utf8))
        #expect(try page.first("//p")?.normalizedText == "Café Zoë")
        #expect(page.encoding == "UTF-8")
    }

    @Test("Windows-1252 bytes (0xE9) read as é when the bytes are not UTF-8")
    func windows1252Page() throws {
        let page = try HTMLDocument(data: ExtractFixture.windows1252("<meta charset=utf-8><p>Caf\u{E9} 5\u{20AC} l’été</p>"))
        #expect(try page.first("//p")?.normalizedText == "Café 5€ l’été")
        #expect(page.encoding == "windows-1252")
    }

    @Test("invalid UTF-8 in an otherwise UTF-8 page becomes U+FFFD, the rest stays readable")
    func invalidUTF8() throws {
        var bytes = Array("<p>Zoë ".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(" Müller & Søn — ok</p>".utf8)
        let page = try HTMLDocument(data: Data(bytes))
        let text = try #require(try page.first("//p")).normalizedText
        #expect(text.hasPrefix("Zoë"))
        #expect(text.hasSuffix("Müller & Søn — ok"))
        #expect(text.contains("\u{FFFD}"))
    }

    @Test("a UTF-8 byte-order mark is dropped")
    func byteOrderMark() throws {
        let page = try HTMLDocument(data: Data([0xEF, 0xBB, 0xBF] + Array("<p>é</p>".utf8)))
        #expect(try page.first("//p")?.normalizedText == "é")
    }

    @Test("page source from a browser is Unicode already: meta charset is ignored")
    func browserSource() throws {
        let page = try HTMLDocument(html: "<meta charset=windows-1252><p>Zoë</p>")
        #expect(try page.first(css: "p")?.normalizedText == "Zoë")
    }

    @Test("an internal-subset entity bomb in an HTML page stays inert")
    func billionLaughsInHTML() throws {
        var doctype = "<!DOCTYPE html [<!ENTITY lol \"lol\">"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let page = try HTMLDocument(html: doctype + "]><p>&lol9;</p>")
        #expect(try page.first("//p")?.text.count ?? 0 < 1000)
    }

    @Test("text reads as a person reads it: <br> and blocks separate words, scripts are not text")
    func readableText() throws {
        let cell = try #require(try HTMLDocument(html: "<td>Ada<br>Lovelace<div>London</div><script>var x=1</script>&#8239;</td>").first("//td"))
        #expect(cell.normalizedText == "Ada Lovelace London")
    }
}
