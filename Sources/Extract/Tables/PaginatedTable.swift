import Foundation

/// Reads one table across a paginated list: the table on each page, then the "next" link, until the
/// last page or the page cap.
///
///     let result = try await PaginatedTable.read("table#appointments", from: firstPage) { url in
///         try await HTMLDocument(html: session.open(url).pageSource(), origin: url.absoluteString)
///     }
///
/// `load` fetches and parses one page (one WebDriver round trip for its source, or a file); it is
/// called once per page, in order. Reading stops on the last page (no next link, a next link to a page
/// already read, or a page whose table has no rows).
///
/// - Throws: `.pageCapReached` at the cap when pages remain (unless `failAtPageCap` is off),
///   `.inconsistentPages` when a page's columns differ from the first page's, the table's own errors
///   (`.noMatch` when a page has no such table: a session that expired shows a login page, not the last
///   page), and whatever `load` throws.
public enum PaginatedTable {
    public static func read(
        _ selector: String, from first: URL, options: TableOptions = TableOptions(), pagination: Pagination = Pagination(),
        load: (URL) throws -> HTMLDocument
    ) throws -> PagedRecords {
        var state = State(selector: selector, options: options, pagination: pagination)
        var next: URL? = first
        while let url = next {
            next = try state.absorb(load(url), at: url)
        }
        return state.result
    }

    public static func read(
        _ selector: String, from first: URL, options: TableOptions = TableOptions(), pagination: Pagination = Pagination(),
        load: (URL) async throws -> HTMLDocument
    ) async throws -> PagedRecords {
        var state = State(selector: selector, options: options, pagination: pagination)
        var next: URL? = first
        while let url = next {
            next = try state.absorb(try await load(url), at: url)
        }
        return state.result
    }

    /// The pages read so far; `absorb` returns the next page to load, or `nil` when done.
    private struct State {
        let selector: String
        let options: TableOptions
        let pagination: Pagination
        var records: RecordSet?
        var pages: [URL] = []
        var visited: Set<String> = []
        var reachedPageCap = false

        init(selector: String, options: TableOptions, pagination: Pagination) {
            self.selector = selector
            self.options = options
            self.pagination = pagination
        }

        var result: PagedRecords {
            PagedRecords(records: records ?? RecordSet(columns: [], rows: []), pages: pages, reachedPageCap: reachedPageCap)
        }

        mutating func absorb(_ page: HTMLDocument, at url: URL) throws(ExtractError) -> URL? {
            let table = try page.table(selector, options: options)
            pages.append(url)
            visited.insert(url.absoluteString)
            if var records {
                guard table.isEmpty || table.columns == records.columns else {
                    throw ExtractError(
                        code: .inconsistentPages, subject: url.absoluteString,
                        message: "page \(pages.count) has the columns \(table.columns) but page 1 had \(records.columns); "
                            + "the selector may match a different table on later pages, make it more specific")
                }
                records.rows.append(contentsOf: table.rows)
                self.records = records
            } else {
                records = table
            }
            guard !table.isEmpty, let next = try page.nextPageURL(nextSelector: pagination.nextSelector, base: url),
                !visited.contains(next.absoluteString)
            else { return nil }
            guard pages.count < max(1, pagination.maxPages) else {
                if pagination.failAtPageCap {
                    throw ExtractError(
                        code: .pageCapReached, subject: url.absoluteString,
                        message: "read \(pages.count) pages (the cap) and page \(pages.count) still links to a next page "
                            + "(\(next.absoluteString)); raise the page cap, or narrow the list (a date filter) so it has fewer pages")
                }
                reachedPageCap = true
                return nil
            }
            return next
        }
    }
}
