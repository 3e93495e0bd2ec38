import Extract
import Foundation
import Testing

@Suite("Normalising fields")
struct FieldNormalizerTests {
    @Test("money in the spellings legacy systems use becomes exact decimal text", arguments: [
        ("123.40", "123.40"), ("123,4", "123.40"), ("1.234,50 €", "1234.50"), ("EUR 1,234.50", "1234.50"),
        ("€1 234,5", "1234.50"), ("1'234.00 CHF", "1234.00"), ("(12.00)", "-12.00"), ("-0.05", "-0.05"),
        ("12", "12.00"), ("1,234", "1234.00"), ("1.234.567,89", "1234567.89"), (" 7,00\u{00A0}€ ", "7.00"),
    ])
    func money(raw: String, expected: String) throws {
        #expect(try FieldNormalizer(field: "amount", type: .money).normalize(raw) == expected)
    }

    @Test("text that is not money is refused, naming the field and the value", arguments: ["twelve", "12.34.56", "1,23,456", "12..5", "€", "1.2345,6"])
    func notMoney(raw: String) {
        #expect(throws: NormalizationError.self) { try FieldNormalizer(field: "amount", type: .money).normalize(raw) }
        do {
            _ = try FieldNormalizer(field: "amount", type: .money).normalize(raw)
        } catch {
            #expect(error.description.contains("amount '\(raw.trimmingCharacters(in: .whitespaces))'"))
        }
    }

    @Test("dates in the given formats become ISO 8601 days; anything else is refused")
    func dates() throws {
        let date = FieldNormalizer(field: "date", type: .date, dateFormats: ["dd.MM.yyyy", "yyyy-MM-dd", "MM/dd/yyyy"])
        #expect(try date.normalize("05.11.2026") == "2026-11-05")
        #expect(try date.normalize("5.11.2026") == "2026-11-05")
        #expect(try date.normalize(" 2026-11-05 ") == "2026-11-05")
        #expect(try date.normalize("11/05/2026") == "2026-11-05")
        #expect(throws: NormalizationError.self) { try date.normalize("31.02.2026") }
        #expect(throws: NormalizationError.self) { try date.normalize("05.11.2026 garbage") }
        #expect(throws: NormalizationError.self) { try date.normalize("yesterday") }
        do {
            _ = try date.normalize("2026/11/05")
        } catch {
            #expect(error.description == "date '2026/11/05' is not a date in the format 'dd.MM.yyyy' or 'yyyy-MM-dd' or 'MM/dd/yyyy'")
        }
    }

    @Test("text is trimmed and its white space, no-break spaces too, collapsed")
    func text() throws {
        #expect(try FieldNormalizer(field: "name", type: .text).normalize("  Ada\u{00A0}\u{00A0}Lovelace \n") == "Ada Lovelace")
    }

    @Test("whole numbers lose their grouping; decimals are refused")
    func integers() throws {
        let count = FieldNormalizer(field: "lines", type: .integer)
        #expect(try count.normalize("1 234") == "1234")
        #expect(try count.normalize("1.234") == "1234")
        #expect(try count.normalize("-17") == "-17")
        #expect(throws: NormalizationError.self) { try count.normalize("12.5") }
    }

    @Test("an empty value stays empty unless the field is required")
    func required() throws {
        #expect(try FieldNormalizer(field: "amount", type: .money).normalize("  ") == "")
        do {
            _ = try FieldNormalizer(field: "amount", type: .money, required: true).normalize(" ")
            Issue.record("an empty required field passed")
        } catch {
            #expect(error.description == "amount is empty, but it is required")
        }
    }

    @Test("header texts become snake_case field names; duplicates and blanks get distinct names")
    func fieldNames() {
        #expect(FieldName.snakeCase("Patient ID") == "patient_id")
        #expect(FieldName.snakeCase("Amount (EUR)") == "amount_eur")
        #expect(FieldName.snakeCase("appointment_id") == "appointment_id")
        #expect(FieldName.snakeCase("2nd visit") == "column_2nd_visit")
        let set = RecordSet(columns: ["Name", "Name", ""], rows: [["a", "b", "c"]])
        let named = FieldName.snakeCaseRecords(set)
        #expect(named.columns == ["name", "name_2", "column_3"])
        #expect(named.records == [["name": "a", "name_2": "b", "column_3": "c"]])
    }
}

@Suite("Normalising times")
struct DateTimeNormalizerTests {
    @Test("an export's '2024-01-08 08:00:00' becomes ISO 8601, with its zone's offset when the flow names the zone")
    func datetime() throws {
        let local = FieldNormalizer(field: "start", type: .datetime)
        #expect(try local.normalize("2024-01-08 08:00:00") == "2024-01-08T08:00:00")
        #expect(try local.normalize("2024-01-08T08:00:00") == "2024-01-08T08:00:00")
        let vienna = FieldNormalizer(field: "start", type: .datetime, timeZone: TimeZone(identifier: "Europe/Vienna"))
        #expect(try vienna.normalize("2024-01-08 08:00:00") == "2024-01-08T08:00:00+01:00")
        #expect(try vienna.normalize("2024-07-08 08:00:00") == "2024-07-08T08:00:00+02:00")
        let german = FieldNormalizer(field: "start", type: .datetime, dateFormats: ["dd.MM.yyyy HH:mm"])
        #expect(try german.normalize("8.01.2024 8:05") == "2024-01-08T08:05:00")
        let zoned = FieldNormalizer(field: "start", type: .datetime, dateFormats: ["yyyy-MM-dd'T'HH:mm:ssXXX"])
        #expect(try zoned.normalize("2024-01-08T08:00:00+01:00") == "2024-01-08T07:00:00Z")
    }

    @Test("a time that is not in the patterns, or does not exist, is refused naming the field and the patterns")
    func notTimes() {
        let start = FieldNormalizer(field: "start", type: .datetime)
        for text in ["2024-01-08", "08.01.2024 08:00:00", "2024-01-08 25:00:00", "2024-02-30 08:00:00"] {
            #expect(throws: NormalizationError.self) { try start.normalize(text) }
        }
        do {
            _ = try start.normalize("yesterday 8am")
        } catch {
            #expect(error.description == "start 'yesterday 8am' is not a date and time in the format 'yyyy-MM-dd HH:mm:ss' or 'yyyy-MM-dd'T'HH:mm:ss'")
        }
    }
}
