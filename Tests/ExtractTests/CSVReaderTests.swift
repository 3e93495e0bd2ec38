import Extract
import Foundation
import Testing

@Suite("CSV reports (RFC 4180 and what legacy systems really write)")
struct CSVReaderTests {
    func read(_ text: String, _ options: ReportOptions = ReportOptions()) throws -> RecordSet {
        try CSVReader(options: options).read(data: Data(text.utf8), origin: "test.csv")
    }

    @Test("quoted fields hold delimiters, doubled quotes and line breaks")
    func quoting() throws {
        let set = try read("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n")
        #expect(set.columns == ["id", "note"])
        #expect(set.rows == [["1", "a, b"], ["2", "say \"hi\""], ["3", "two\r\nlines"]])
    }

    @Test("LF and CR line ends, blank lines and a missing final line break")
    func lineEnds() throws {
        #expect(try read("a,b\n1,2\n\n3,4").rows == [["1", "2"], ["3", "4"]])
        #expect(try read("a,b\r1,2\r").rows == [["1", "2"]])
    }

    @Test("a UTF-8 byte-order mark is not part of the first column's name")
    func byteOrderMark() throws {
        let set = try CSVReader().read(data: Data([0xEF, 0xBB, 0xBF] + Array("id,name\n1,Zoë\n".utf8)))
        #expect(set.columns == ["id", "name"])
        #expect(set.rows == [["1", "Zoë"]])
    }

    @Test("the delimiter is detected: ; for European exports, tab, |")
    func delimiters() throws {
        #expect(try read("id;amount;note\n1;1,50;\"x;y\"\n").rows == [["1", "1,50", "x;y"]])
        #expect(try read("id\tname\n1\tAda\n").rows == [["1", "Ada"]])
        #expect(try read("id|name\n1|Ada\n").rows == [["1", "Ada"]])
        #expect(try read("sep=;\nid;name\n1;Ada\n").columns == ["id", "name"])
        #expect(try read("id,name\n1,Ada\n", ReportOptions(delimiter: ";")).columns == ["id,name"])
    }

    @Test("Windows-1252 bytes are detected: 0xE9 reads as é, 0x80 as €")
    func windows1252() throws {
        let set = try CSVReader().read(data: ExtractFixture.windows1252("name;price\nCaf\u{E9} Zo\u{EB};5\u{20AC}\n"))
        #expect(set.rows == [["Café Zoë", "5€"]])
    }

    @Test("a ragged row is an error with its line (counting embedded line breaks)")
    func raggedRow() {
        let error = #expect(throws: ExtractError.self) { try read("a,b,c\n1,\"x\ny\",3\n4,5\n6,7,8\n") }
        #expect(error?.code == .raggedRow)
        #expect(error?.line == 4)
        #expect(error?.message.contains("2 fields where the header has 3") == true)
    }

    @Test("ragged rows can be allowed: short ones padded, long ones kept, all listed")
    func raggedAllowed() throws {
        let set = try read("a,b\n1\n2,3,4\n5,6\n", ReportOptions(allowRaggedRows: true))
        #expect(set.rows == [["1", ""], ["2", "3", "4"], ["5", "6"]])
        #expect(set.raggedRows == [.init(row: 0, line: 2, fieldCount: 1), .init(row: 1, line: 3, fieldCount: 3)])
        #expect(set.records[1] == ["a": "2", "b": "3"])
    }

    @Test("a quote that never closes is an error at the line it opened on")
    func unterminatedQuote() {
        let error = #expect(throws: ExtractError.self) { try read("a,b\n1,2\n3,\"oops\n4,5\n") }
        #expect(error?.code == .malformedCSV)
        #expect(error?.line == 3)
    }

    @Test("stray quotes inside unquoted fields are kept as written")
    func strayQuotes() throws {
        #expect(try read("a,b\n5\" screen,x\"y\n").rows == [["5\" screen", "x\"y"]])
    }

    @Test("an empty file is an empty set; a header alone gives columns and no rows")
    func empty() throws {
        #expect(try read("") == RecordSet(columns: [], rows: []))
        #expect(try read("id,name\n") == RecordSet(columns: ["id", "name"], rows: []))
    }

    @Test("without a header, columns are numbered; fields can be trimmed")
    func options() throws {
        let set = try read(" 1 , Ada \n", ReportOptions(hasHeader: false, trimFields: true))
        #expect(set.columns == ["column 1", "column 2"])
        #expect(set.rows == [["1", "Ada"]])
    }
}

@Suite("CSV writing for uploads")
struct CSVWriterTests {
    let records = RecordSet(columns: ["id", "note"], rows: [["1", "plain"], ["2", "a, \"b\"\nc"], ["3", " padded"]])

    @Test("quotes only what needs it, CRLF line ends")
    func rfc4180() {
        #expect(CSVWriter().string(records) == "id,note\r\n1,plain\r\n2,\"a, \"\"b\"\"\nc\"\r\n3,\" padded\"\r\n")
    }

    @Test("what it writes, the reader reads back")
    func roundTrip() throws {
        let data = CSVWriter(delimiter: ";").data(records)
        #expect(try CSVReader().read(data: data) == records)
    }

    @Test("Windows-1252 output and formula neutralising for spreadsheet-bound uploads")
    func legacyTargets() {
        let set = RecordSet(columns: ["name", "formula"], rows: [["Café", "=SUM(A1)"]])
        let data = CSVWriter(lineEnding: "\n", neutralizeFormulas: true).data(set, encoding: .windows1252)
        #expect(Array(data) == Array("name,formula\nCaf".utf8) + [0xE9] + Array(",'=SUM(A1)\n".utf8))
    }
}
