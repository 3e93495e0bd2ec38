import Foundation

/// `schedule:`: when `ferry serve` runs the flow, until when it must have finished, and when not.
extension FlowDecoder {
    func schedule(_ node: YAMLNode) -> FlowSchedule? {
        guard let mapping = mapping(node, "'schedule'") else { return nil }
        var fields = MappingFields(mapping, what: "'schedule'")
        let dailyNode = fields.take("daily")
        let cronNode = fields.take("cron")
        var times: FlowSchedule.Times?
        switch (dailyNode, cronNode) {
        case (let daily?, nil):
            times = timeOfDay(daily, "'daily'").map { .daily($0) }
        case (nil, let cron?):
            if let text = text(cron, "'cron'") {
                do {
                    times = .cron(try CronExpression(parsing: text))
                } catch {
                    self.error(.invalidValue, at: cron.location, error.description)
                }
            }
        case (.some, .some):
            error(.invalidValue, at: fields.keyLocation("cron") ?? mapping.location, "a schedule is 'daily' or 'cron', not both; keep one")
        case (nil, nil):
            error(.missingKey, at: mapping.location, "'schedule' needs 'daily: \"05:30\"' or 'cron: \"30 5 * * 1-5\"'")
        }
        var timeZone = "UTC"
        if let zoneNode = fields.take("timezone"), let zone = text(zoneNode, "'timezone'") {
            if TimeZone(identifier: zone) == nil {
                let hint = Suggestion.closest(to: zone, in: TimeZone.knownTimeZoneIdentifiers).map { "; did you mean '\($0)'?" } ?? ", like Europe/Berlin"
                error(.invalidValue, at: zoneNode.location, "'\(zone)' is not a time zone name\(hint)")
            } else {
                timeZone = zone
            }
        } else {
            error(.missingKey, at: mapping.location, "'schedule' needs 'timezone' (like Europe/Berlin): \"05:30\" means nothing without one")
        }
        let deadline = fields.take("deadline").flatMap { timeOfDay($0, "'deadline'") }
        var skip = Set<String>()
        if let node = fields.take("skip"), let list = sequence(node, "'skip' (days without a run)") {
            for item in list.items {
                guard let day = text(item, "a day to skip") else { continue }
                if DateText.parseDay(day, in: TimeZone(identifier: "UTC")!) == nil {
                    error(.invalidValue, at: item.location, "'\(day)' is not a day; write it as YYYY-MM-DD")
                } else {
                    skip.insert(day)
                }
            }
        }
        var windows: [FlowSchedule.MaintenanceWindow] = []
        if let node = fields.take("maintenance"), let list = sequence(node, "'maintenance' (windows without a run)") {
            for item in list.items {
                guard let text = text(item, "a maintenance window") else { continue }
                if let window = FlowSchedule.MaintenanceWindow(parsing: text) {
                    windows.append(window)
                } else {
                    error(.invalidValue, at: item.location, "'\(text)' is not a maintenance window; write \"Sun 01:00-04:00\" or \"23:30-23:59\"")
                }
            }
        }
        finish(fields)
        if case .daily(let start)? = times, let deadline, deadline <= start, let location = fields.keyLocation("deadline") {
            error(.invalidValue, at: location, "the deadline \(deadline) is not after the daily start \(start)")
        }
        guard let times else { return nil }
        return FlowSchedule(times: times, timeZone: timeZone, deadline: deadline, skip: skip, maintenance: windows, location: mapping.location)
    }

    private func timeOfDay(_ node: YAMLNode, _ what: String) -> FlowSchedule.TimeOfDay? {
        guard let text = text(node, what) else { return nil }
        guard let time = FlowSchedule.TimeOfDay(parsing: text) else {
            error(.invalidValue, at: node.location, "\(what) is a time of day as HH:MM in quotes, like \"05:30\"; found '\(text)'")
            return nil
        }
        return time
    }
}
