import Foundation

/// Compiles regular expressions the way the engine will, to catch bad ones before a run.
enum RegexCheck {
    /// Whether the pattern compiles (ICU syntax, as `NSRegularExpression`).
    static func compiles(_ pattern: String) -> Bool {
        captureGroups(pattern) != nil
    }

    /// How many capture groups the pattern has, or nil when it does not compile.
    static func captureGroups(_ pattern: String) -> Int? {
        guard pattern.utf8.count <= 4000, let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        return expression.numberOfCaptureGroups
    }
}
