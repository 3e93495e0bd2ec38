import Synchronization

/// Rows that never change once written, rendered once: audit rows (the store refuses UPDATE and DELETE
/// on the audit log) and artifacts (recorded, never altered). A page that lists them again, such as a
/// run's page reloaded while the run goes on, joins the HTML it rendered before instead of looking up
/// every field through the templates again (that was most of the dashboard's slowest view).
///
/// Keyed by what identifies the row in this dashboard's store; bounded, and emptied when full.
final class RenderedRows: Sendable {
    private let rows = Mutex<[String: String]>([:])
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func html(for key: String, render: () -> String) -> String {
        if let found = rows.withLock({ $0[key] }) { return found }
        let html = render()
        rows.withLock { rows in
            if rows.count >= capacity { rows.removeAll(keepingCapacity: true) }
            rows[key] = html
        }
        return html
    }

    var count: Int { rows.withLock { $0.count } }
}
