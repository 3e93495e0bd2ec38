import Flows
import Synchronization

/// Values captured while one work item passes through a per-item stage. They overlay the run's
/// values for that item only, so workers never see each other's captures.
final class ItemScope: Sendable {
    private let values = Mutex<[String: TemplateValue]>([:])

    func set(_ name: String, _ value: TemplateValue) {
        values.withLock { $0[name] = value }
    }

    var all: [String: TemplateValue] {
        values.withLock { $0 }
    }
}
