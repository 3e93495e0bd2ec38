import Extract
import Testing

@Suite("Tables become records")
struct TableTests {
    @Test("headers from th cells key the records; whitespace and &nbsp; are normalised")
    func thHeaders() throws {
        let set = try ExtractFixture.table("""
            <table><tr><th> ID </th><th>Patient&nbsp;name</th></tr>
            <tr><td>A-1</td><td>  Ada&nbsp;&nbsp;\n Lovelace </td></tr></table>
            """)
        #expect(set.columns == ["ID", "Patient name"])
        #expect(set.records == [["ID": "A-1", "Patient name": "Ada Lovelace"]])
    }

    @Test("without th, the first row is the header")
    func firstRowHeader() throws {
        let set = try ExtractFixture.table("<table><tr><td>ID</td><td>Name</td></tr><tr><td>1</td><td>Ada</td></tr></table>")
        #expect(set.columns == ["ID", "Name"])
        #expect(set.rows == [["1", "Ada"]])
    }

    @Test("thead rows are the header even when they use td")
    func theadHeader() throws {
        let set = try ExtractFixture.table("<table><thead><tr><td>ID</td></tr></thead><tbody><tr><td>1</td></tr></tbody></table>")
        #expect(set.columns == ["ID"])
        #expect(set.rows == [["1"]])
    }

    @Test("a table without any header can be read with generated column names")
    func noHeader() throws {
        let set = try ExtractFixture.table("<table><tr><td>1</td><td>Ada</td></tr></table>", options: TableOptions(header: .none))
        #expect(set.columns == ["column 1", "column 2"])
        #expect(set.rows == [["1", "Ada"]])
    }

    @Test("empty and repeated header names become usable keys")
    func uniqueColumns() throws {
        let set = try ExtractFixture.table("<table><tr><th>Amount</th><th></th><th>Amount</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
        #expect(set.columns == ["Amount", "column 2", "Amount 2"])
    }

    @Test("colspan and rowspan lay out like a browser: values repeat across and down what they cover")
    func spans() throws {
        let set = try ExtractFixture.table("""
            <table>
            <tr><th rowspan=2>Date</th><th colspan=2>Patient</th></tr>
            <tr><th>First</th><th>Last</th></tr>
            <tr><td rowspan=2>2024-03-05</td><td>Ada</td><td>Lovelace</td></tr>
            <tr><td colspan=2>Alan Turing</td></tr>
            </table>
            """, options: TableOptions(header: .rows(2)))
        #expect(set.columns == ["Date", "Patient First", "Patient Last"])
        #expect(set.rows == [["2024-03-05", "Ada", "Lovelace"], ["2024-03-05", "Alan Turing", "Alan Turing"]])
    }

    @Test("legacy markup: no tbody, unclosed tags, a form between table and rows")
    func brokenMarkup() throws {
        let set = try ExtractFixture.table("""
            <table id=t><form action=/x><tr><th>ID<th>Name
            <tr><td>1<td><b>Ada</td>
            <tr><td>2<td>Alan
            </form></table>
            """, "#t")
        #expect(set.rows == [["1", "Ada"], ["2", "Alan"]])
    }

    @Test("a nested table's rows stay out of the outer table; its text stays in its cell")
    func nestedTables() throws {
        let html = """
            <table id=outer><tr><th>Name</th><th>Detail</th></tr>
            <tr><td>Ada</td><td><table id=inner><tr><td>x</td><td>y</td></tr></table></td></tr></table>
            """
        let outer = try ExtractFixture.table(html, "#outer")
        #expect(outer.rows == [["Ada", "x y"]])
        let inner = try ExtractFixture.table(html, "#inner", options: TableOptions(header: .none))
        #expect(inner.rows == [["x", "y"]])
    }

    @Test("an empty table is an empty set, with its columns when it has a header")
    func emptyTable() throws {
        #expect(try ExtractFixture.table("<table></table>") == RecordSet(columns: [], rows: []))
        let headed = try ExtractFixture.table("<table><tr><th>ID</th><th>Name</th></tr></table>")
        #expect(headed.columns == ["ID", "Name"])
        #expect(headed.isEmpty)
    }

    @Test("title rows, 'no data' rows, spacer rows, repeated headers and tfoot totals are not records")
    func noiseRows() throws {
        let set = try ExtractFixture.table("""
            <table>
            <tr><th colspan=2>Appointments for 5 March</th></tr>
            <tr><th>ID</th><th>Name</th></tr>
            <tr><td>1</td><td>Ada</td></tr>
            <tr><td>&nbsp;</td><td></td></tr>
            <tr><td colspan=2>Morning clinic</td></tr>
            <tr><th>ID</th><th>Name</th></tr>
            <tr><td>2</td><td>Alan</td></tr>
            <tfoot><tr><td>Total</td><td>2</td></tr></tfoot>
            </table>
            """)
        #expect(set.columns == ["ID", "Name"])
        #expect(set.rows == [["1", "Ada"], ["2", "Alan"]])
    }

    @Test("short rows are padded, long rows add columns")
    func unevenRows() throws {
        let set = try ExtractFixture.table("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
        #expect(set.columns == ["A", "B", "column 3"])
        #expect(set.rows == [["1", "", ""], ["1", "2", "3"]])
    }

    @Test("the selector may point at a wrapper or a part of the table; xpath= works too")
    func selectorTargets() throws {
        let html = "<div class=report><table><tr><th>ID</th></tr><tr><td>7</td></tr></table></div>"
        #expect(try ExtractFixture.table(html, "div.report").rows == [["7"]])
        #expect(try ExtractFixture.table(html, "xpath=//tr[2]").rows == [["7"]])
    }

    @Test("duplicate ids, as legacy pages have them: the first element that matches the whole selector wins")
    func duplicateIDs() throws {
        let html = "<div id=x>banner</div><table id=x><tr><th>ID</th></tr><tr><td>1</td></tr></table><p id=x>z</p>"
        #expect(try ExtractFixture.table(html, "table#x").rows == [["1"]])
        #expect(try HTMLDocument(html: html).nodes("#x").map(\.name) == ["div", "table", "p"])
        #expect(try HTMLDocument(html: html).node("p#x")?.normalizedText == "z")
    }

    @Test("a selector that matches nothing, or no table, says so")
    func missingTable() {
        let none = #expect(throws: ExtractError.self) { try ExtractFixture.table("<table></table>", "#appointments") }
        #expect(none?.code == .noMatch)
        #expect(none?.message.contains("ferry extract") == true)
        let notTable = #expect(throws: ExtractError.self) { try ExtractFixture.table("<p>x</p><table></table>", "p") }
        #expect(notTable?.code == .notATable)
    }

    @Test("hostile colspans are clamped to HTML's limit, and absurd widths refused")
    func hostileSpans() throws {
        let clamped = try ExtractFixture.table("<table><tr><th>A</th></tr><tr><td colspan=99999999>x</td><td>y</td></tr></table>")
        #expect(clamped.columns.count == 1001)
        let cells = String(repeating: "<td colspan=1000>x</td>", count: 11)
        let error = #expect(throws: ExtractError.self) { try ExtractFixture.table("<table><tr>\(cells)</tr></table>") }
        #expect(error?.code == .tableTooWide)
    }

    @Test("records from repeated elements that are not a table")
    func nonTableRecords() throws {
        let page = try HTMLDocument(html: """
            <ul><li class=appt data-id=7><b class=name>Ada</b> <time datetime="2024-03-05T09:00">9:00</time></li>
            <li class=appt data-id=8><b class=name>Alan</b></li></ul>
            """)
        let set = try page.records(rows: "li.appt", fields: [
            FieldSelector("id", "xpath=@data-id"), FieldSelector("patient", ".name"), FieldSelector("at", "time::attr(datetime)"),
        ])
        #expect(set.columns == ["id", "patient", "at"])
        #expect(set.rows == [["7", "Ada", "2024-03-05T09:00"], ["8", "Alan", ""]])
    }

    @Test("records, column values and JSON keep column order")
    func recordSetViews() throws {
        let set = RecordSet(columns: ["ID", "Note"], rows: [["1", "say \"hi\"\n"]])
        #expect(set.values(of: "Note") == ["say \"hi\"\n"])
        #expect(set.json(pretty: false) == #"[{"ID":"1","Note":"say \"hi\"\n"}]"#)
        #expect(set.jsonLines() == #"{"ID":"1","Note":"say \"hi\"\n"}"#)
    }

    @Test("a page's tables are listed with a selector to reach each")
    func summaries() throws {
        let page = try HTMLDocument(html: "<table id=a><tr><th>X</th></tr><tr><td>1</td></tr></table><table class='grid big'></table><table></table>")
        let summaries = page.tableSummaries()
        #expect(summaries.map(\.selector) == ["table#a", "table.grid.big  (or xpath=(//table)[2])", "xpath=(//table)[3]"])
        #expect(summaries.first?.rowCount == 1)
    }
}
