/// Euro amounts as the legacy systems write them: `123.40`, always two decimals, no grouping.
public enum Money {
    /// `12340` → `"123.40"`.
    public static func format(_ cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Parses a non-negative decimal with at most two decimals (`123`, `123.4`, `123.40`) into cents.
    ///
    /// Returns `nil` for anything else: signs, grouping, a comma, more decimals, letters.
    public static func parseCents(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 9,
            whole.allSatisfy({ $0.isASCII && $0.isNumber }), let units = Int(whole)
        else { return nil }
        var cents = units * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(fraction)
            else { return nil }
            cents += fraction.count == 1 ? value * 10 : value
        }
        return cents
    }
}
