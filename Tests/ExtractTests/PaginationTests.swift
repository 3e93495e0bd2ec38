import Extract
import Foundation
import Testing

@Suite("Following pagination")
struct PaginationTests {
    let base = URL(string: "https://clinic.example/appointments?date=2024-03-05&page=2")!

    func next(_ html: String, selector: String? = nil) throws -> String? {
        try HTMLDocument(html: html).nextPageURL(nextSelector: selector, base: base)?.absoluteString
    }

    @Test("a next link found by selector, resolved against the page's URL")
    func bySelector() throws {
        #expect(try next("<a class=next href='?date=2024-03-05&page=3'>›</a>", selector: "a.next")
            == "https://clinic.example/appointments?date=2024-03-05&page=3")
        #expect(try next("<li class=next><a href='/p/3'>Next</a></li>", selector: "li.next") == "https://clinic.example/p/3")
        #expect(try next("<p>last page</p>", selector: "a.next") == nil)
        #expect(try next("<a class=next href='list.asp?name=Zoë Müller&page=3'>›</a>", selector: "a.next")
            == "https://clinic.example/list.asp?name=Zo%C3%AB%20M%C3%BCller&page=3")
    }

    @Test("a disabled next link, or one to nowhere, ends pagination")
    func disabled() throws {
        #expect(try next("<a class='next disabled' href='/p/3'>Next</a>", selector: "a.next") == nil)
        #expect(try next("<a class=next href='#'>Next</a>", selector: "a.next") == nil)
        #expect(try next("<a class=next href='javascript:void(0)'>Next</a>", selector: "a.next") == nil)
        #expect(try next("<span class=next>Next</span>", selector: ".next") == nil)
    }

    @Test("an invalid next selector is an error, not a silent last page")
    func invalidSelector() {
        #expect(throws: ExtractError.self) { try next("<a>Next</a>", selector: "a..next") }
    }

    @Test("without a selector: rel=next, then a link reading Next")
    func discovered() throws {
        #expect(try next("<link rel=next href='/p/3'><a href='/p/9'>Next</a>") == "https://clinic.example/p/3")
        #expect(try next("<a href='/p/1'>Prev</a> <a href='/p/3' title='Next page'>»</a>") == "https://clinic.example/p/3")
        #expect(try next("<a href='/p/3'> Next </a>") == "https://clinic.example/p/3")
    }

    @Test("page-number links: the one above the current page")
    func pageNumbers() throws {
        #expect(try next("<a href='?page=1'>1</a> <strong class=current>2</strong> <a href='?page=3'>3</a>")
            == "https://clinic.example/appointments?page=3")
        #expect(try next("<a href='/l/1'>1</a> <a href='/l/2' aria-current=page>2</a> <a href='/l/3'>3</a>") == "https://clinic.example/l/3")
        // No marker: the current page comes from the URL's page parameter.
        #expect(try next("<a href='/l/1'>1</a> <a href='/l/2'>2</a> <a href='/l/3'>3</a>") == "https://clinic.example/l/3")
        #expect(try next("<a href='?page=1'>1</a> <span class=active>2</span>") == nil)
    }

    @Test("follows saved pages to the last one, one load per page, rows in page order")
    func followsPages() throws {
        let pages = [
            "https://x/list?page=1": page(rows: ["1", "2"], next: "?page=2"),
            "https://x/list?page=2": page(rows: ["3", "4"], next: "?page=3"),
            "https://x/list?page=3": page(rows: ["5"], next: nil),
        ]
        var loads: [String] = []
        let result = try PaginatedTable.read("table#items", from: URL(string: "https://x/list?page=1")!) { url in
            loads.append(url.absoluteString)
            return try HTMLDocument(html: pages[url.absoluteString] ?? "", origin: url.absoluteString)
        }
        #expect(result.records.values(of: "ID") == ["1", "2", "3", "4", "5"])
        #expect(result.pages.count == 3)
        #expect(loads == ["https://x/list?page=1", "https://x/list?page=2", "https://x/list?page=3"])
        #expect(!result.reachedPageCap)
    }

    @Test("the page cap stops an endless list with a clear error, or with a flag when asked")
    func pageCap() throws {
        let load: (URL) throws -> HTMLDocument = { url in
            let number = Int(url.query?.split(separator: "=").last ?? "1") ?? 1
            return try HTMLDocument(html: page(rows: ["\(number)"], next: "?page=\(number + 1)"))
        }
        let start = URL(string: "https://x/list?page=1")!
        let error = #expect(throws: ExtractError.self) {
            try PaginatedTable.read("#items", from: start, pagination: Pagination(maxPages: 3), load: load)
        }
        #expect(error?.code == .pageCapReached)
        let capped = try PaginatedTable.read("#items", from: start, pagination: Pagination(maxPages: 3, failAtPageCap: false), load: load)
        #expect(capped.records.count == 3)
        #expect(capped.reachedPageCap)
    }

    @Test("a next link back to a page already read ends the loop")
    func loopGuard() throws {
        let result = try PaginatedTable.read("#items", from: URL(string: "https://x/list?page=1")!) { _ in
            try HTMLDocument(html: page(rows: ["1"], next: "?page=1"))
        }
        #expect(result.pages.count == 1)
    }

    @Test("pages with different columns are an error, not mixed records")
    func inconsistentColumns() {
        var count = 0
        let error = #expect(throws: ExtractError.self) {
            try PaginatedTable.read("#items", from: URL(string: "https://x/list?page=1")!) { _ in
                count += 1
                return try HTMLDocument(html: count == 1
                    ? page(rows: ["1"], next: "?page=2")
                    : "<table id=items><tr><th>Other</th></tr><tr><td>x</td></tr></table>")
            }
        }
        #expect(error?.code == .inconsistentPages)
    }

    private func page(rows: [String], next: String?) -> String {
        let body = rows.map { "<tr><td>\($0)</td></tr>" }.joined()
        let link = next.map { "<a class=next href='\($0)'>Next</a>" } ?? "<span class=next>Next</span>"
        return "<table id=items><tr><th>ID</th></tr>\(body)</table>\(link)"
    }
}
