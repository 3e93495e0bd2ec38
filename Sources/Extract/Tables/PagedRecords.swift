import Foundation

/// The records of a table read across pages, and which pages were read.
public struct PagedRecords: Sendable, Hashable {
    /// Every page's rows, in page order, under the first page's columns.
    public var records: RecordSet
    /// The pages read, first to last.
    public var pages: [URL]
    /// Whether reading stopped at ``Pagination/maxPages`` with a next page still there.
    public var reachedPageCap: Bool

    public init(records: RecordSet, pages: [URL], reachedPageCap: Bool) {
        self.records = records
        self.pages = pages
        self.reachedPageCap = reachedPageCap
    }
}
