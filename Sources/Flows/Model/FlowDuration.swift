/// A length of time as flows write it: `500ms`, `10s`, `2m`, `1h`, `1d`, or combined, `1m30s`.
///
/// Used for timeouts, retry backoff, pauses and date arithmetic (`${today - 1d}`).
public struct FlowDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func seconds(_ seconds: Int64) -> FlowDuration { FlowDuration(milliseconds: seconds * 1000) }

    /// The units in the order they are written, with their length in milliseconds.
    static let units: [(name: String, milliseconds: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses `10s`, `2m`, `1h30m`, `500ms`; nil for anything else (`10`, `10 s`, `2 minutes`, `-1s`).
    public init?(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 40 else { return nil }
        var index = 0
        var total: Int64 = 0
        var used = Set<String>()
        while index < scalars.count {
            var number: Int64 = 0
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                number = number * 10 + Int64(scalars[index].value - 48)
                guard number <= 1_000_000_000 else { return nil }
                index += 1
            }
            guard index > start else { return nil }
            var unit = ""
            while index < scalars.count, ("a"..."z").contains(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let length = Self.units.first(where: { $0.name == unit })?.milliseconds, used.insert(unit).inserted else {
                return nil
            }
            total += number * length
        }
        self.milliseconds = total
    }

    /// Swift's own duration, for sleeping and timing out.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Whether this is a whole number of days (what a date can move by).
    public var isWholeDays: Bool { milliseconds % 86_400_000 == 0 }

    /// The shortest way to write it: `1m30s`, `500ms`, `0s`.
    public var description: String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for unit in Self.units where rest >= unit.milliseconds {
            text += "\(rest / unit.milliseconds)\(unit.name)"
            rest %= unit.milliseconds
        }
        return text
    }

    public static func < (lhs: FlowDuration, rhs: FlowDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// How to write one, for error messages.
    static let formatHint = "write a number and a unit, like 500ms, 10s, 2m or 1h"
}
