/// How ``PaginatedTable`` follows a paginated list.
public struct Pagination: Sendable, Hashable {
    /// The "next" link's selector (CSS or `xpath=`); `nil` finds it (see ``HTMLDocument/nextPageURL(nextSelector:base:)``).
    public var nextSelector: String?
    /// The most pages read, the first included.
    public var maxPages: Int
    /// At the cap with a next page still there: throw `.pageCapReached` (default), or stop and say so in
    /// ``PagedRecords/reachedPageCap``. Silent truncation is the worst outcome for an unattended run.
    public var failAtPageCap: Bool

    public init(nextSelector: String? = nil, maxPages: Int = 50, failAtPageCap: Bool = true) {
        self.nextSelector = nextSelector
        self.maxPages = maxPages
        self.failAtPageCap = failAtPageCap
    }
}
