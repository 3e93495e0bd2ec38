import Synchronization
import WebDriver

/// The fallbacks a step used, waiting to be judged once the step has acted.
///
/// On a page that builds itself by script, a fallback can appear a moment before the primary. A
/// drift is recorded only when the primary is still absent once the fallback has been used, so a
/// maintainer is not sent to fix a selector that works.
final class SelectorDriftWatch: Sendable {
    struct Use: Sendable {
        var key: String
        /// The rendered primary, as the page was asked for it.
        var primary: String
        var primaryLocator: Locator
        var matched: String
        var position: Int
        var at: ContinuousClock.Instant
    }

    /// How long after a fallback matched the primary may still appear and count as fine.
    static let grace: Duration = .seconds(1)

    private let uses = Mutex<[Use]>([])

    func note(_ use: Use) {
        uses.withLock { $0.append(use) }
    }

    /// The uses noted so far, forgetting them.
    func take() -> [Use] {
        uses.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }
}
