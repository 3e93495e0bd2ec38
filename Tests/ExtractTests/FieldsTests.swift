import Extract
import Testing

@Suite("Named fields from a detail page")
struct FieldsTests {
    let page = """
        <div class=invoice><h1 id=number>INV-0042</h1>
        <p>Total: <span class=amount>1&nbsp;234.50</span></p>
        <a class=download href="/inv/42.pdf">PDF</a></div>
        """

    @Test("each field is the normalised text of its selector's first match")
    func fields() throws {
        let values = try HTMLDocument(html: page).fields([
            "total": ".amount", "number": "#number", "pdf": "a.download::attr(href)", "label": "xpath=//p/text()",
        ])
        #expect(values == ["total": "1 234.50", "number": "INV-0042", "pdf": "/inv/42.pdf", "label": "Total:"])
    }

    @Test("missing fields are all named in one error, or left empty or out when asked")
    func missing() throws {
        let document = try HTMLDocument(html: page)
        let error = #expect(throws: ExtractError.self) { try document.fields(["total": ".amount", "due": ".due", "vat": "#vat"]) }
        #expect(error?.code == .noMatch)
        #expect(error?.message.contains("due (.due), vat (#vat)") == true)
        #expect(try document.fields(["due": ".due"], missing: .empty) == ["due": ""])
        #expect(try document.fields(["due": ".due"], missing: .omit) == [:])
    }

    @Test("an invalid field selector names the field")
    func invalid() throws {
        let error = #expect(throws: ExtractError.self) { try HTMLDocument(html: page).fields(["total": ".amount:hover"]) }
        #expect(error?.code == .invalidSelector)
        #expect(error?.message.hasPrefix("field `total`") == true)
    }
}
