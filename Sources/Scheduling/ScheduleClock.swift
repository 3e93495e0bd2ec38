import Foundation

/// What "now" is to the scheduler: the system clock in production, a clock the test moves by hand.
public protocol ScheduleClock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemScheduleClock: ScheduleClock {
    public init() {}
    public func now() -> Date { Date() }
}
