import Foundation

/// The lab's records for the grid pages: `G-0001`, `Item 1`, a status; deterministic, so tests can
/// say which rows each page holds.
struct LabGrid: Sendable {
    var total: Int
    var perPage: Int

    init(total: Int?, perPage: Int?) {
        self.total = min(max(total ?? 230, 0), 5_000)
        self.perPage = min(max(perPage ?? 50, 1), 1_000)
    }

    var pages: Int { max(1, (total + perPage - 1) / perPage) }

    func clamp(_ page: Int?) -> Int { min(max(page ?? 1, 1), pages) }

    /// The rows of one page; `updated` marks every status as a reload would show it.
    func rows(page: Int, updated: Bool = false) -> [[String: String]] {
        let first = (page - 1) * perPage + 1
        let last = min(total, page * perPage)
        guard first <= last else { return [] }
        let statuses = ["open", "paid", "overdue"]
        return (first...last).map { number in
            [
                "id": String(format: "G-%04d", number),
                "name": "Item \(number)",
                "status": updated ? "updated" : statuses[number % statuses.count],
            ]
        }
    }

    /// The rows of the long table, with a repeated header before every 100th row.
    static func longRows(_ count: Int) -> [[String: Any]] {
        (1...max(1, min(count, 5_000))).map { (number: Int) -> [String: Any] in
            let header: Bool = number > 1 && (number - 1) % 100 == 0
            let amount: String = String(format: "%d.%02d", number * 3 / 100 + 1, number * 7 % 100)
            let status: String = number % 4 == 0 ? "void" : "open"
            return ["header": header, "id": String(number), "name": "Line \(number)", "amount": amount, "status": status]
        }
    }
}
