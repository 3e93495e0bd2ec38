import Testing
@testable import FixtureSites

@Suite("Parsers and formats")
struct ParserTests {
    @Test("multipart bodies yield fields and files, quoted names included")
    func multipart() throws {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\nworld\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b \\\"c\\\".csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n\r\n"
            + "--XyZ--\r\n"
        let parser = try MultipartFormParser(contentType: "multipart/form-data; boundary=\"XyZ\"")
        let parts = try parser.parse(Array(body.utf8))
        #expect(parts.map(\.name) == ["note", "file"])
        #expect(parts[0].text == "hello\r\nworld")
        #expect(parts[0].filename == nil)
        #expect(parts[1].filename == "a;b \"c\".csv")
        #expect(parts[1].contentType == "text/csv")
        #expect(parts[1].text == "x,y\r\n1,2\r\n")
        #expect(throws: MultipartFormParser.Failure.self) { try parser.parse(Array("--XyZ\r\nbroken".utf8)) }
        #expect(throws: MultipartFormParser.Failure.self) { try MultipartFormParser(contentType: "text/plain") }
    }

    @Test("CSV records keep their starting line; quotes, commas and CRLF are handled")
    func csv() throws {
        let records = try CSVReader.records(in: "\u{FEFF}a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\r\n\"multi\nline\",z\nlast,")
        #expect(records == [
            .init(line: 1, fields: ["a", "b"]),
            .init(line: 2, fields: ["x, y", "he said \"hi\""]),
            .init(line: 4, fields: ["multi\nline", "z"]),
            .init(line: 6, fields: ["last", ""]),
        ])
        #expect(throws: CSVReader.Failure.self) { try CSVReader.records(in: "a,\"open\n") }
        #expect(CSVWriter.line(["Hale, Jr.", "say \"x\"", "plain"]) == "\"Hale, Jr.\",\"say \"\"x\"\"\",plain\r\n")
    }

    @Test("amounts parse only as plain decimals with up to two decimals")
    func money() {
        #expect(Money.parseCents("123.40") == 12340)
        #expect(Money.parseCents("123.4") == 12340)
        #expect(Money.parseCents("7") == 700)
        for bad in ["", "-1", "1,50", "1.234", ".5", "5.", "1e3", "12 34", "abc"] {
            #expect(Money.parseCents(bad) == nil, "\(bad)")
        }
        #expect(Money.format(12340) == "123.40")
        #expect(Money.format(5) == "0.05")
    }

    @Test("dates parse strictly, know weekends and do day arithmetic")
    func dates() {
        #expect(ClinicDate("2026-11-22")?.isWeekend == true)
        #expect(ClinicDate("2026-11-20")?.isWeekend == false)
        #expect(ClinicDate("2024-02-29") != nil)
        #expect(ClinicDate("2026-02-29") == nil)
        #expect(ClinicDate("2026-1-02") == nil)
        #expect(ClinicDate("2026-12-31")?.adding(days: 1).description == "2027-01-01")
        #expect(ClinicDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(ClinicDate("2026-03-01")?.adding(days: -1).description == "2026-02-28")
    }

    @Test("form fields decode plus signs and percent escapes")
    func formFields() {
        let fields = FormFields(urlEncoded: "name=Zo%C3%AB+M%C3%BCller&empty=&flag&a=1&a=2&bad=%zz")
        #expect(fields["name"] == "Zoë Müller")
        #expect(fields["empty"] == "")
        #expect(fields["flag"] == "")
        #expect(fields.values("a") == ["1", "2"])
        #expect(fields["bad"] == "%zz")
        #expect(FormFields.encode("/billing?date=2026-11-20&x=ä") == "/billing%3Fdate%3D2026-11-20%26x%3D%C3%A4")
    }
}
