import Flows
import Foundation

/// The number a gate's figure stands for, taken from the run's records.
struct GateFigure: Sendable {
    var figure: ReconcileStep.Figure
    var value: Decimal
    /// The most decimals among the values it was taken from, so money sums print as money.
    var scale = 0

    /// Why a figure could not be taken: said with the records and the field.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    init(_ figure: ReconcileStep.Figure, records: [String: [[String: String]]], captured: [String: String] = [:]) throws(Problem) {
        self.figure = figure
        if case .captured(let name) = figure {
            guard let text = captured[name] else {
                throw Problem(description: "there is no captured value '\(name)' (capture it from the page first)")
            }
            value = try Self.capturedNumber(text, name: name)
            scale = Self.decimals(NSDecimalNumber(decimal: value).stringValue)
            return
        }
        guard let rows = records[figure.records] else {
            throw Problem(description: "there are no records named '\(figure.records)' (read or extract them first)")
        }
        switch figure {
        case .count:
            value = Decimal(rows.count)
        case .sum(_, let field):
            var total = Decimal(0)
            for (index, row) in rows.enumerated() {
                total += try Self.number(row[field], field: field, record: index + 1, of: figure.records)
                scale = max(scale, Self.decimals(row[field]))
            }
            value = total
        case .captured:
            value = 0
        case .value(_, let field):
            guard rows.count == 1 else {
                throw Problem(description: "'\(figure.records)' holds \(rows.count) records, but a value figure needs exactly one (a report's footer, a page's summary)")
            }
            value = try Self.number(rows[0][field], field: field, record: 1, of: figure.records)
            scale = Self.decimals(rows[0][field])
        }
    }

    /// A field's text as a number: empty counts 0; anything else must be plain decimal text.
    static func number(_ text: String?, field: String, record: Int, of records: String) throws(Problem) -> Decimal {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return 0 }
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
            let number = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
        else {
            throw Problem(description: "record \(record) of '\(records)' has \(field) '\(trimmed)', which is not a plain number; normalize the field (type: money or integer) first")
        }
        return number
    }

    /// A captured value as a number: plain decimal text, or text holding exactly one whole number
    /// (the 300 of "(300 total)"). Text with several numbers is refused rather than guessed at.
    static func capturedNumber(_ text: String, name: String) throws(Problem) -> Decimal {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = try? number(trimmed, field: name, record: 1, of: name), !trimmed.isEmpty { return plain }
        let runs = trimmed.split(whereSeparator: { !($0.isASCII && $0.isNumber) })
        guard runs.count == 1, let only = runs.first, let value = Decimal(string: String(only)) else {
            throw Problem(
                description: "the captured value '\(name)' is '\(trimmed)', which is not \(runs.isEmpty ? "a number" : "one number"); capture only the figure with a group, like matches: \"\\\\((\\\\d+) total\\\\)\"")
        }
        return value
    }

    var text: String { Self.text(value, scale: scale) }

    private static func decimals(_ text: String?) -> Int {
        guard let text, let point = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: point, to: text.endIndex) - 1
    }

    /// The value with at least `scale` decimals (`5000` at scale 2 is `5000.00`).
    static func text(_ value: Decimal, scale: Int) -> String {
        let plain = NSDecimalNumber(decimal: value).stringValue
        let decimals = plain.firstIndex(of: ".").map { plain.distance(from: $0, to: plain.endIndex) - 1 } ?? 0
        guard decimals < scale else { return plain }
        return plain + (decimals == 0 ? "." : "") + String(repeating: "0", count: scale - decimals)
    }
}
