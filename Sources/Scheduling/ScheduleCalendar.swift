import Flows
import Foundation

/// The times a flow's schedule names, worked out in its time zone.
public struct ScheduleCalendar: Sendable {
    public let schedule: FlowSchedule
    private let calendar: Calendar

    public init(_ schedule: FlowSchedule) {
        self.schedule = schedule
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: schedule.timeZone) ?? TimeZone(identifier: "UTC")!
        self.calendar = calendar
    }

    /// The newest slot at or before `date` (looking back at most `days` days).
    public func latestSlot(atOrBefore date: Date, days: Int = 8) -> Date? {
        let today = calendar.startOfDay(for: date)
        for back in 0...days {
            guard let day = calendar.date(byAdding: .day, value: -back, to: today) else { continue }
            let candidates = times(on: day).filter { $0 <= date }
            if let latest = candidates.max() { return latest }
        }
        return nil
    }

    /// The first slot after `date` (looking ahead at most `days` days).
    public func nextSlot(after date: Date, days: Int = 366) -> Date? {
        let today = calendar.startOfDay(for: date)
        for ahead in 0...days {
            guard let day = calendar.date(byAdding: .day, value: ahead, to: today) else { continue }
            if let next = times(on: day).filter({ $0 > date }).min() { return next }
        }
        return nil
    }

    /// When a run of this slot must have finished: the deadline's local time on the slot's day, or the
    /// next day's when that is not after the slot.
    public func deadline(for slot: Date) -> Date? {
        guard let deadline = schedule.deadline else { return nil }
        let day = calendar.startOfDay(for: slot)
        guard var time = at(deadline, on: day) else { return nil }
        if time <= slot, let next = calendar.date(byAdding: .day, value: 1, to: time) { time = next }
        return time
    }

    /// Why no run starts at this slot (a skipped day, a maintenance window), or nil.
    public func quietReason(for slot: Date) -> String? {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: slot)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        if schedule.skip.contains(day) { return "\(day) is a day without runs (schedule: skip)" }
        let time = FlowSchedule.TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0)
        if let window = schedule.maintenance.first(where: { $0.contains(weekday: (parts.weekday ?? 1) - 1, time: time) }) {
            return "\(time) falls in the maintenance window \(window)"
        }
        return nil
    }

    /// `2026-11-23T05:30` in the schedule's zone: how slots are named in the store and in messages.
    public func name(of slot: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: slot)
        return String(format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    // MARK: One day

    private func times(on day: Date) -> [Date] {
        switch schedule.times {
        case .daily(let time):
            return at(time, on: day).map { [$0] } ?? []
        case .cron(let cron):
            let parts = calendar.dateComponents([.day, .month, .weekday], from: day)
            var times: [Date] = []
            for hour in cron.hours.sorted() {
                for minute in cron.minutes.sorted()
                where cron.matches(minute: minute, hour: hour, day: parts.day ?? 0, month: parts.month ?? 0, weekday: (parts.weekday ?? 1) - 1) {
                    if let time = at(FlowSchedule.TimeOfDay(hour: hour, minute: minute), on: day) { times.append(time) }
                }
            }
            return times
        }
    }

    private func at(_ time: FlowSchedule.TimeOfDay, on day: Date) -> Date? {
        calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day)
    }
}
