import Extract
import Testing

@Suite("CSS selectors compile to fast XPath")
struct CSSSelectorTests {
    /// A page every case below can be tried on.
    static let page = """
        <html><body>
        <div id="main" class="content  wide">
          <table id="appointments" class="grid striped" data-kind="Daily-Report">
            <tr><th>ID</th><th>Patient</th><th>Amount</th></tr>
            <tr class="row"><td>A-1</td><td><a href="/p/1" rel="external nofollow">Ada</a></td><td class="amount">12.50</td></tr>
            <tr class="row cancelled"><td>A-2</td><td><a href="/p/2">Alan</a></td><td class="amount">8.00</td></tr>
            <tr class="row"><td>A-3</td><td><a href="https://x/p/3">Grace</a></td><td class="amount">3.10</td></tr>
          </table>
          <p lang="en-GB">Total</p><span>after p</span><span>second span</span>
        </div>
        </body></html>
        """

    /// The normalised texts of what `css` matches on ``page``.
    func texts(_ css: String) throws -> [String] {
        try HTMLDocument(html: Self.page).select(css: css).map(\.normalizedText)
    }

    func xpath(_ css: String) throws -> String {
        try CSSSelector.xpath(css)
    }

    @Test("#id") func id() throws {
        #expect(try xpath("#main") == "descendant::*[@id='main']")
        #expect(try texts("#appointments td.amount") == ["12.50", "8.00", "3.10"])
    }

    @Test(".class matches one word of the class attribute") func className() throws {
        #expect(try xpath(".wide") == "descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' wide ')]")
        #expect(try texts("tr.cancelled td:first-child") == ["A-2"])
        #expect(try texts(".grid.striped tr.row > td.amount") == ["12.50", "8.00", "3.10"])
    }

    @Test("type selectors are case-insensitive, like HTML") func tag() throws {
        #expect(try xpath("TD") == "descendant::td")
        #expect(try texts("P") == ["Total"])
    }

    @Test("[attr] and [attr=value], quoted or not") func attributes() throws {
        #expect(try xpath("a[href]") == "descendant::a[@href]")
        #expect(try texts("a[href='/p/2']") == ["Alan"])
        #expect(try texts("a[href=\"/p/1\"]") == ["Ada"])
        #expect(try texts("table[data-kind=Daily-Report] td.amount") == ["12.50", "8.00", "3.10"])
    }

    @Test("^= $= *= ~= |= and the i flag") func attributeOperators() throws {
        #expect(try texts("a[href^='https:']") == ["Grace"])
        #expect(try texts("a[href$='/2']") == ["Alan"])
        #expect(try texts("a[href*='/p/']").count == 3)
        #expect(try texts("a[rel~=nofollow]") == ["Ada"])
        #expect(try texts("p[lang|=en]") == ["Total"])
        #expect(try texts("table[data-kind='daily-report' i] a[href$='3']") == ["Grace"])
        #expect(try texts("a[href^='']") == [])  // an empty prefix matches nothing, as in CSS
    }

    @Test("descendant and child combinators look up the tree from one descendant step") func combinators() throws {
        #expect(try xpath("table td") == "descendant::td[ancestor::table]")
        #expect(try xpath("tr > td") == "descendant::td[parent::tr]")
        #expect(try texts("div#main > table tr > td > a") == ["Ada", "Alan", "Grace"])
        #expect(try texts("body > table td") == [])
    }

    @Test("+ and ~ sibling combinators") func siblings() throws {
        #expect(try xpath("p + span") == "descendant::span[preceding-sibling::*[1]/self::p]")
        #expect(try texts("p + span") == ["after p"])
        #expect(try texts("p ~ span") == ["after p", "second span"])
    }

    @Test(":nth-child with a number, odd/even and an+b") func nthChild() throws {
        #expect(try texts("tr.row td:nth-child(2)") == ["Ada", "Alan", "Grace"])
        #expect(try texts("tr:nth-child(even) > td:nth-child(1)") == ["A-1", "A-3"])
        #expect(try texts("tr:nth-child(odd) > td:first-child") == ["A-2"])
        #expect(try texts("tr:nth-child(2n+3) td:nth-child(1)") == ["A-2"])
        #expect(try texts("tr:nth-child(-n+2) > th:nth-child(1)") == ["ID"])
        #expect(try texts("tr:nth-last-child(1) td:last-child") == ["3.10"])
        #expect(try xpath("tr:nth-child(odd)") == "descendant-or-self::node()/child::*[(position() - 1) mod 2 = 0][self::tr]")
    }

    @Test(":first-child, :last-child, :only-child and the -of-type forms") func structural() throws {
        #expect(try texts("tr.row td:first-child") == ["A-1", "A-2", "A-3"])
        #expect(try texts("tr.row td:last-child") == ["12.50", "8.00", "3.10"])
        #expect(try texts("td > a:only-child") == ["Ada", "Alan", "Grace"])
        #expect(try texts("span:first-of-type") == ["after p"])
        #expect(try texts("span:last-of-type") == ["second span"])
        #expect(try texts("span:nth-of-type(2)") == ["second span"])
    }

    @Test(":not() of a compound selector") func not() throws {
        #expect(try texts("tr.row:not(.cancelled) td.amount") == ["12.50", "3.10"])
    }

    @Test("a list is one descendant step with alternatives, not a union") func list() throws {
        #expect(try xpath("th, td.amount") == "descendant::*[self::th or self::td[contains(concat(' ', normalize-space(@class), ' '), ' amount ')]]")
        #expect(try texts("th:first-child, td.amount") == ["ID", "12.50", "8.00", "3.10"])
    }

    @Test("::attr(name) selects an attribute's value") func attributeValue() throws {
        #expect(try xpath("a::attr(href)") == "descendant::a/attribute::href")
        #expect(try texts("tr.cancelled a::attr(href)") == ["/p/2"])
    }

    @Test("quotes in values are written as valid XPath literals") func quoting() throws {
        #expect(try xpath(#"a[title="it's"]"#) == #"descendant::a[@title="it's"]"#)
        #expect(try xpath(#"a[title="say \"it's\""]"#) == #"descendant::a[@title=concat('say "it', "'", 's"')]"#)
    }

    @Test("never generates the pathological //text() shapes") func noTextSteps() throws {
        for css in ["table td", "tr:nth-child(odd) td", "a::attr(href)", "th, td", "div p + span"] {
            let xpath = try xpath(css)
            #expect(!xpath.contains("//"))
            #expect(!xpath.contains("text()"))
        }
    }

    @Test("invalid selectors name the column of the problem", arguments: [
        ("", 1, "empty"),
        ("td..amount", 3, "class name"),
        ("#", 1, "id"),
        ("td:hover", 3, "unsupported pseudo-class ':hover'"),
        ("a[href", 7, "']'"),
        ("a[href='x]", 8, "never closes"),
        ("tr >", 4, "must be followed"),
        ("> td", 1, "unexpected '>'"),
        ("td:nth-child(x)", 14, "odd"),
        ("td,", 4, "must follow ','"),
        ("*:nth-of-type(2)", 2, "tag name"),
        ("a::before", 2, "pseudo-element"),
        ("a::attr(href) b", 15, "nothing may follow"),
        ("//td", 1, "xpath="),
        ("-x td", 1, "not a tag name"),
        ("a[@click]", 3, "attribute name"),
    ])
    func invalid(css: String, column: Int, mentions: String) {
        let error = #expect(throws: ExtractError.self) { try CSSSelector.xpath(css) }
        #expect(error?.code == .invalidSelector)
        #expect(error?.column == column, "\(css): \(error?.description ?? "")")
        #expect(error?.message.contains(mentions) == true, "\(css): \(error?.message ?? "")")
    }

    @Test("Ferry selectors: CSS by default, xpath= or a leading / for XPath, text= refused") func elementSelector() throws {
        #expect(try ElementSelector("xpath=//td[1]").xpath == "//td[1]")
        #expect(try ElementSelector("//td[1]").kind == .xpath)
        #expect(try ElementSelector("td.amount").kind == .css)
        let error = #expect(throws: ExtractError.self) { try ElementSelector("text=Export CSV") }
        #expect(error?.message.contains("live browser") == true)
        let shifted = #expect(throws: ExtractError.self) { try ElementSelector("css=td..x") }
        #expect(shifted?.column == 7)
    }
}
