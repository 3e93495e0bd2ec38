import Foundation

/// What automation would have entered next to what people entered by hand, record by record: how
/// teams decide a flow is ready to take over.
public struct ShadowComparison: Sendable {
    public struct Difference: Sendable, Hashable {
        public var key: String
        public var field: String
        public var automation: String
        public var manual: String
    }

    public var fields: [String]
    public var matching: [String]
    public var differences: [Difference]
    public var onlyInAutomation: [String]
    public var onlyInManual: [String]

    /// Compares records by key: `automationKey` names the key field of the automation's records,
    /// `manualKey` the manual file's. Fields are those given, or every field both sides have.
    /// Values agree when equal after trimming, or when both are the same number (`12.5` and `12.50`).
    public init(automation: [[String: String]], automationKey: String, manual: [[String: String]], manualKey: String, fields: [String]? = nil) {
        let left = Dictionary(automation.compactMap { row in row[automationKey].map { ($0.trimmingCharacters(in: .whitespaces), row) } }) { first, _ in first }
        let right = Dictionary(manual.compactMap { row in row[manualKey].map { ($0.trimmingCharacters(in: .whitespaces), row) } }) { first, _ in first }
        let shared = Set(automation.first?.keys.map { $0 } ?? []).intersection(manual.first?.keys.map { $0 } ?? [])
        self.fields = fields ?? shared.subtracting([automationKey, manualKey]).sorted()
        var matching: [String] = []
        var differences: [Difference] = []
        for key in left.keys.sorted() {
            guard let mine = left[key], let theirs = right[key] else { continue }
            let differing = self.fields.compactMap { field -> Difference? in
                let a = mine[field] ?? "", b = theirs[field] ?? ""
                return Self.agree(a, b) ? nil : Difference(key: key, field: field, automation: a, manual: b)
            }
            if differing.isEmpty { matching.append(key) } else { differences += differing }
        }
        self.matching = matching
        self.differences = differences
        onlyInAutomation = left.keys.filter { right[$0] == nil }.sorted()
        onlyInManual = right.keys.filter { left[$0] == nil }.sorted()
    }

    /// Records in both with every field equal, over all records on either side.
    public var agreementRate: Double {
        let total = matching.count + Set(differences.map(\.key)).count + onlyInAutomation.count + onlyInManual.count
        return total == 0 ? 1 : Double(matching.count) / Double(total)
    }

    /// How many things a person has to look at: each differing field and each record on one side only.
    public var problemCount: Int { differences.count + onlyInAutomation.count + onlyInManual.count }

    static func agree(_ a: String, _ b: String) -> Bool {
        let (a, b) = (a.trimmingCharacters(in: .whitespaces), b.trimmingCharacters(in: .whitespaces))
        if a == b { return true }
        let posix = Locale(identifier: "en_US_POSIX")
        if let x = Decimal(string: a, locale: posix), let y = Decimal(string: b, locale: posix),
            a.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }), b.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return x == y
        }
        return false
    }

    /// The comparison as a terminal table.
    public func text() -> String {
        var lines = [
            String(format: "Agreement: %.1f%% (%d matching, %d differing, %d only in the automation, %d only in the manual file)",
                   agreementRate * 100, matching.count, Set(differences.map(\.key)).count, onlyInAutomation.count, onlyInManual.count),
            "Compared fields: " + fields.joined(separator: ", "),
        ]
        if !differences.isEmpty {
            let width = max(4, differences.map(\.key.count).max() ?? 0) + 2
            let fieldWidth = max(6, differences.map(\.field.count).max() ?? 0) + 2
            let valueWidth = max(11, differences.map(\.automation.count).max() ?? 0) + 2
            lines.append("")
            lines.append("key".padding(toLength: width, withPad: " ", startingAt: 0) + "field".padding(toLength: fieldWidth, withPad: " ", startingAt: 0)
                + "automation".padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "manual")
            for difference in differences {
                lines.append(difference.key.padding(toLength: width, withPad: " ", startingAt: 0) + difference.field.padding(toLength: fieldWidth, withPad: " ", startingAt: 0)
                    + difference.automation.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + difference.manual)
            }
        }
        if !onlyInAutomation.isEmpty { lines += ["", "Only in the automation: " + onlyInAutomation.joined(separator: ", ")] }
        if !onlyInManual.isEmpty { lines += ["", "Only in the manual file: " + onlyInManual.joined(separator: ", ")] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as a self-contained page.
    public func html(title: String) -> String {
        let e = HTMLText.escape
        var page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="\(HTMLText.reportPolicy)"><title>\(e(title))</title>
            <style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2228}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #e6e9ee}
            th{background:#f4f6f8}.bad{background:#fdf1f1}</style></head><body>
            <h1>\(e(title))</h1>
            <p><b>\(String(format: "%.1f%%", agreementRate * 100)) agreement</b>: \(matching.count) matching, \(Set(differences.map(\.key)).count) differing, \(onlyInAutomation.count) only in the automation, \(onlyInManual.count) only in the manual file.</p>

            """
        if !differences.isEmpty {
            page += "<table><tr><th>key</th><th>field</th><th>automation</th><th>manual</th></tr>\n"
            for difference in differences {
                page += "<tr class=\"bad\"><td>\(e(difference.key))</td><td>\(e(difference.field))</td><td>\(e(difference.automation))</td><td>\(e(difference.manual))</td></tr>\n"
            }
            page += "</table>\n"
        }
        if !onlyInAutomation.isEmpty { page += "<p>Only in the automation: \(e(onlyInAutomation.joined(separator: ", ")))</p>\n" }
        if !onlyInManual.isEmpty { page += "<p>Only in the manual file: \(e(onlyInManual.joined(separator: ", ")))</p>\n" }
        return page + "</body></html>\n"
    }
}
