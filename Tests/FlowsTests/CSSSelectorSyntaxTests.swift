import Testing
@testable import Flows

@Suite("CSS selector syntax")
struct CSSSelectorSyntaxTests {
    @Test("accepts the selectors legacy pages need", arguments: [
        "#username", "input[name=pwd]", "a.logout", "table#appointments tbody > tr:nth-child(2n+1) td",
        "form#entry-form [type='submit']", "a[href^=\"/appointments\"][rel~=next i]", "ul.errors li:first-child",
        "tr:not(.total):has(> td.amount)", "input:is([type=submit], button)", "li:nth-last-of-type(-n + 3)",
        "td:nth-child(odd)", "p ~ span + em", "*", "[data-x|=en]", "#a\\.b", "h1, h2,h3", "div:where(.a .b)",
        "tr:nth-child(2 of .visible)", "-x-custom", "label:lang(en)",
    ])
    func accepts(selector: String) {
        #expect(CSSSelectorSyntax.problem(in: selector) == nil)
    }

    @Test("refuses broken selectors with a reason", arguments: [
        ("input[name=pwd", "'[' is never closed; add ']'"),
        ("td:contains('Total')", "':contains' is jQuery, not CSS; use 'text=...' for an element by its text"),
        ("#123", "an id selector cannot start with a digit; write [id='123'] instead"),
        ("a >> b", "two combinators in a row ('>' then '>')"),
        ("a,", "a selector is missing after ','"),
        ("li:frist-child", "unknown pseudo-class ':frist-child'; did you mean ':first-child'?"),
        ("p::before", "pseudo-elements ('::before') never match an element; remove it"),
        ("input[value=a b]", "expected ']', found 'b'"),
        ("div:not(", "'(' is never closed; add ')'"),
        ("a[href='x]", "the quoted text is never closed; add '"),
        ("tr:nth-child(foo)", "expected 'odd', 'even', a number or 'An+B' like '2n+1'"),
        ("", "the selector is empty"),
        ("//button", "expected a selector, found '/'"),
    ])
    func refuses(selector: String, message: String) {
        #expect(CSSSelectorSyntax.problem(in: selector)?.message == message)
    }

    @Test("an XPath written without its prefix is pointed at the prefix")
    func xpathWithoutPrefix() {
        let candidate = SelectorCandidate(source: "//button[@id='save']", location: SourceLocation(file: "f", line: 1, column: 1))

        #expect(SelectorSyntax().problem(in: candidate)
            == "'//button[@id='save']' is not valid CSS (expected a selector, found '/'); an XPath needs the prefix: 'xpath=//button[@id='save']'")
    }

    @Test("XPath and text= are compiled by libxml2")
    func xpath() {
        let syntax = SelectorSyntax()
        let location = SourceLocation(file: "f", line: 1, column: 1)

        #expect(syntax.problem(in: SelectorCandidate(source: "xpath=//form[@id='entry-form']//*[@type='submit']", location: location)) == nil)
        #expect(syntax.problem(in: SelectorCandidate(source: "text=It's \"quoted\"", location: location)) == nil)
        #expect(syntax.problem(in: SelectorCandidate(source: "xpath=//td[normalize-space(.)='Total'", location: location)) != nil)
        #expect(syntax.problem(in: SelectorCandidate(source: "xpath=//td[matches(., 'x')]", location: location))
            == "'xpath=//td[matches(., 'x')]' is not valid XPath: 'matches()' is not an XPath 1.0 function, which is all browsers run")
        #expect(syntax.problem(in: SelectorCandidate(source: "xpath=//td[normalise-space(.)='x']", location: location))
            == "'xpath=//td[normalise-space(.)='x']' is not valid XPath: 'normalise-space()' is not an XPath 1.0 function; did you mean 'normalize-space()'?")
        #expect(syntax.problem(in: SelectorCandidate(source: "xpath=//a[contains(@title, 'f(x)')]/text()", location: location)) == nil)
        #expect(syntax.problem(in: SelectorCandidate(source: "label=", location: location)) == "'label=' needs the text to look for after it")
    }
}
