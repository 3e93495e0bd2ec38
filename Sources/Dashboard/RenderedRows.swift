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

extension RenderedRows {
    /// The key for a row rendered from `values` alone (a row template sees nothing else): every name and
    /// value, each prefixed with its length so no value (a payload may hold anything) can pass for another
    /// row's. `nil` when a value is not text, a number or a flag, so such rows are rendered each time.
    static func key(template: String, _ values: [String: Any]) -> String? {
        var key = template.utf8.count.description + ":" + template
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch value {
            case let string as String: text = "s" + string
            case let number as Int: text = "i" + number.description
            case let number as Int64: text = "i" + number.description
            case let flag as Bool: text = flag ? "t" : "f"
            default: return nil
            }
            key += name.utf8.count.description + ":" + name + text.utf8.count.description + ":" + text
        }
        return key
    }
}
