import CLibXML2
import Foundation

/// Stops XPath evaluations that run past their time budget.
///
/// libxml2 2.9.14 counts XPath operations against `xmlXPathContext.opLimit` (checked at every step
/// and every node an axis visits) but has no clock. An operation count is a poor proxy for time: the
/// pathological `td//text()` over a 29,000-row table spends 34 s in only ~800,000 operations, because
/// each step merges its results into a growing node set with a duplicate check (quadratic). So Ferry
/// keeps the count on with no effective limit (`ferry_xpath_arm`) and this one watchdog thread, when a
/// deadline passes, drops the context's limit to 1 (`ferry_xpath_interrupt`): the evaluator's next check
/// fails with `XPATH_OP_LIMIT_EXCEEDED` and it unwinds cleanly, freeing what it built. Between two checks
/// there is at most one merge, well under a millisecond even on large sets.
///
/// The watchdog only touches a context while that context is registered, and registration is removed
/// (under the same lock) before the context is freed, so it never writes to freed memory.
///
/// - Note: `@unchecked Sendable`: all mutable state is guarded by `condition`.
final class QueryWatchdog: @unchecked Sendable {
    static let shared = QueryWatchdog()

    private struct Watch {
        let deadline: ContinuousClock.Instant
        let context: xmlXPathContextPtr
        var fired = false
    }

    private let condition = NSCondition()
    private var watches: [UInt64: Watch] = [:]
    private var lastTicket: UInt64 = 0
    private var started = false

    /// Starts watching an evaluation about to run on `context`; pass the ticket to `disarm`.
    func arm(_ context: xmlXPathContextPtr, budget: Duration) -> UInt64 {
        ferry_xpath_arm(context)
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            let thread = Thread { [self] in watch() }
            thread.name = "ferry.query-watchdog"
            thread.start()
        }
        lastTicket += 1
        watches[lastTicket] = Watch(deadline: .now + budget, context: context)
        condition.signal()
        return lastTicket
    }

    /// Stops watching; returns whether the budget ran out (and the evaluation was interrupted).
    func disarm(_ ticket: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return watches.removeValue(forKey: ticket)?.fired ?? false
    }

    private func watch() {
        condition.lock()
        while true {
            let now = ContinuousClock.now
            var earliest: ContinuousClock.Instant?
            for (ticket, watch) in watches where !watch.fired {
                if watch.deadline <= now {
                    ferry_xpath_interrupt(watch.context)
                    watches[ticket]?.fired = true
                } else if earliest.map({ watch.deadline < $0 }) ?? true {
                    earliest = watch.deadline
                }
            }
            if let earliest {
                let wait = now.duration(to: earliest)
                let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            } else {
                condition.wait()
            }
        }
    }
}
