import Foundation

/// Replaces secret values with `•••` in any text before it is logged, stored or shown.
///
///     let redactor = Redactor(context: context)
///     logger.error("\(redactor.redact(error.description))")
///
/// Besides the value as is, it also catches the value percent-encoded (in a URL) and HTML-escaped
/// (in a saved page source), the forms a secret typically leaks in.
public struct Redactor: Sendable {
    /// What a secret value is replaced with.
    public static let mask = "•••"

    private let needles: [String]

    /// Redacts these values (empty ones are ignored).
    public init<S: Sequence>(secrets: S) where S.Element == String {
        var needles = Set<String>()
        for secret in secrets where !secret.isEmpty {
            needles.insert(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { needles.insert(encoded) }
            needles.insert(
                secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;"))
        }
        // Longest first, so a secret that contains another is masked whole.
        self.needles = needles.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// Redacts every secret value of a run's context.
    public init(context: TemplateContext) {
        self.init(secrets: context.secretValues)
    }

    /// The text with every secret value masked.
    public func redact(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacingOccurrences(of: needle, with: Self.mask)
        }
        return result
    }
}
