import Extract
import Foundation
import Testing

@Suite("XML exports")
struct XMLReportReaderTests {
    func read(_ xml: String, _ options: ReportOptions = ReportOptions()) throws(ExtractError) -> RecordSet {
        try XMLReportReader(options: options).read(data: Data(xml.utf8), origin: "export.xml")
    }

    @Test("records are the repeated elements; fields their attributes and child elements")
    func records() throws {
        let set = try read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <export generated="2024-03-05">
              <meta><source>clinic</source></meta>
              <appointments>
                <appointment id="A-1"><patient>Ada</patient><amount currency="EUR">12.50</amount>
                  <address><city>Leeds</city></address></appointment>
                <appointment id="A-2"><patient> Alan &amp; co </patient><note><![CDATA[<b>vip</b>]]></note></appointment>
              </appointments>
            </export>
            """)
        #expect(set.columns == ["id", "patient", "amount.currency", "amount", "address.city", "note"])
        #expect(set.rows == [["A-1", "Ada", "EUR", "12.50", "Leeds", ""], ["A-2", "Alan & co", "", "", "", "<b>vip</b>"]])
    }

    @Test("the record element can be named, namespaces are dropped from names")
    func named() throws {
        let set = try read("<r xmlns:x='urn:x'><x:line n='1'/><x:line n='2'/><total>3</total></r>", ReportOptions(recordElement: "line"))
        #expect(set.rows == [["1"], ["2"]])
    }

    @Test("records and fields by XPath, as a flow's read step names them")
    func fieldsByXPath() throws {
        let options = ReportOptions(recordElement: "//line", fields: [
            FieldSelector("invoice", "@invoice"), FieldSelector("amount", "amount"), FieldSelector("city", "address/city"),
            FieldSelector("missing", "nothing"),
        ])
        let set = try read("""
            <billing><line invoice="I-1"><amount>12.50</amount><address><city>Leeds</city></address></line>
            <group><line invoice="I-2"><amount> 8.00 </amount></line></group></billing>
            """, options)
        #expect(set.columns == ["invoice", "amount", "city", "missing"])
        #expect(set.rows == [["I-1", "12.50", "Leeds", ""], ["I-2", "8.00", "", ""]])
        let error = #expect(throws: ExtractError.self) { try read("<r/>", ReportOptions(recordElement: "//line")) }
        #expect(error?.code == .noMatch)
    }

    @Test("Windows-1252 bytes under a UTF-8 declaration still read")
    func encoding() throws {
        let data = ExtractFixture.windows1252("<?xml version='1.0' encoding='UTF-8'?><r><p><n>Caf\u{E9}</n></p><p><n>Zo\u{EB}</n></p></r>")
        #expect(try XMLReportReader().read(data: data).rows == [["Café"], ["Zoë"]])
    }

    @Test("an external entity (XXE) is never loaded")
    func xxe() throws {
        let set = try read("""
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>
            <r><row><a>&secret;</a><b>&remote;</b></row><row><a>x</a><b>y</b></row></r>
            """)
        #expect(set.rows.joined().allSatisfy { !$0.contains("root:") })
        #expect(set.rows.first == ["&secret;", "&remote;"])
    }

    @Test("an entity bomb (billion laughs) is never expanded")
    func billionLaughs() {
        var dtd = "<!ENTITY lol \"lol\">"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [\(dtd)]><r><row><a>&lol9;</a></row><row><a>x</a></row></r>"
        // libxml2 2.9.14 refuses the document (its amplification check); a reference kept unexpanded would be inert too.
        do {
            let set = try read(xml)
            #expect(set.rows.joined().allSatisfy { $0.count < 100 })
        } catch {
            #expect(error.code == .unreadableDocument)
            #expect(error.message.contains("explosively"))
        }
    }

    @Test("malformed XML is an error with its line, not a partial read")
    func malformed() {
        let error = #expect(throws: ExtractError.self) { try read("<r>\n<row><a>1</a></row>\n<row><a>2</a>\n</r>") }
        #expect(error?.code == .unreadableDocument)
        #expect(error?.line != nil)
    }
}

@Suite("Reports by file")
struct ReportReaderTests {
    func write(_ name: String, _ contents: Data) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-extract-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    @Test("the format comes from the extension, else from the content")
    func inference() throws {
        #expect(try ReportReader.read(path: write("a.csv", Data("id\n1\n".utf8))).rows == [["1"]])
        let disguised = try write("billing.xls", Data("<html><table><tr><th>id</th></tr><tr><td>7</td></tr></table></html>".utf8))
        #expect(try ReportReader.read(path: disguised).rows == [["7"]])
        #expect(try ReportReader.read(path: write("export", Data("<r><x>1</x><x>2</x></r>".utf8))).rows == [["1"], ["2"]])
    }

    @Test("an HTML report reads its biggest table, not the layout table around it")
    func htmlReport() throws {
        let html = """
            <table><tr><td><h1>Billing</h1>
              <table><tr><th>Total</th></tr><tr><td>20</td></tr></table>
              <table id=lines><tr><th>Line</th><th>Amount</th></tr><tr><td>1</td><td>12</td></tr><tr><td>2</td><td>8</td></tr></table>
            </td></tr></table>
            """
        let set = try ReportReader.read(data: Data(html.utf8), origin: "billing.html")
        #expect(set.columns == ["Line", "Amount"])
        #expect(set.count == 2)
    }

    @Test("a missing file, a real Excel workbook and an oversized file are clear errors")
    func errors() throws {
        let missing = #expect(throws: ExtractError.self) { try ReportReader.read(path: "/nonexistent/report.csv") }
        #expect(missing?.code == .unreadableFile)
        let workbook = #expect(throws: ExtractError.self) { try ReportReader.read(path: write("real.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0]))) }
        #expect(workbook?.code == .unsupportedFormat)
        let big = #expect(throws: ExtractError.self) {
            try ReportReader.read(path: write("big.csv", Data(repeating: 65, count: 2048)), options: ReportOptions(sizeLimit: 1024))
        }
        #expect(big?.code == .documentTooLarge)
    }
}
