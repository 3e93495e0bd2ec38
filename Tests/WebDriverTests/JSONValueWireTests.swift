import Foundation
import Testing
import WebDriver

@Suite("WebDriver's JSON, read and written on bytes")
struct JSONValueWireTests {
    private func decode(_ text: String) -> JSONValue? { JSONValue.decode(Data(text.utf8)) }

    @Test("reads every kind of value, with whitespace between tokens")
    func readsValues() {
        #expect(decode(#" { "value" : { "ready": true, "n": -12.5e1, "list": [1, "two", null, false, {}] } } "#)
            == ["value": ["ready": true, "n": -125.0, "list": [1, "two", nil, false, [:]]]])
        #expect(decode("[]") == [])
        #expect(decode("0") == 0)
        #expect(decode("\"\"") == "")
    }

    @Test("reads escapes, including a surrogate pair, and keeps raw UTF-8 as it is")
    func readsEscapes() {
        #expect(decode(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{08}\u{0C}"))
        #expect(decode(#""\u00e9 \ud83d\ude00 é""#) == "é 😀 é")
        #expect(decode(#""\ud83d alone""#) == "\u{FFFD} alone")
    }

    @Test("refuses what is not JSON instead of guessing", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "\"open", "\"bad \\x escape\"", "\"tab\there\"",
        "[1] 2", "{\"a\":1,}", "nul",
    ])
    func refusesInvalid(text: String) {
        #expect(decode(text) == nil)
    }

    @Test("refuses nesting deeper than the limit rather than exhausting the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(decode(deep) == nil)
        #expect(JSONValue.decode(Data("[[[1]]]".utf8), maxDepth: 2) == nil)
        #expect(JSONValue.decode(Data("[[[1]]]".utf8), maxDepth: 3) == [[[1]]])
    }

    @Test("writes compact JSON that Foundation reads back to the same value")
    func writesWhatFoundationReads() throws {
        let value: JSONValue = [
            "script": "return arguments[0] + \"</script>\\n\" + '\u{01}'",
            "args": [1, 2.5, -3, true, nil, "ünïcode 😀"],
            "nested": ["empty": [:], "list": []],
        ]
        let data = value.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains(", ") && !text.contains(": ") && text.hasPrefix("{\""))
        #expect(text.contains("</script>"))  // slashes are not escaped
        #expect(text.contains("\\u0001"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["script"] as? String == "return arguments[0] + \"</script>\\n\" + '\u{01}'")
        #expect(JSONValue.decode(data) == value)
    }

    @Test("writes whole numbers without a fraction and non-finite numbers as null")
    func writesNumbers() {
        #expect(String(decoding: JSONValue.array([1, 1.5, -0.25, 1e300, .number(.infinity), .number(.nan)]).encoded(), as: UTF8.self)
            == "[1,1.5,-0.25,1e+300,null,null]")
    }
}
