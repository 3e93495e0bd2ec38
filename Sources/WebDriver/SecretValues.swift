import Synchronization

/// Values that must never appear in logs or error messages (passwords typed into pages, tokens).
///
/// The caller marks a value secret before using it; every command the client logs, and every error
/// message it raises, has each marked value replaced by `•••`.
public final class SecretValues: Sendable {
    private let values = Mutex<[String]>([])

    public init() {}

    /// Marks a value secret. Values shorter than 3 characters are ignored: redacting them would mangle ordinary text.
    public func mark(_ value: String) {
        guard value.count >= 3 else { return }
        values.withLock { values in
            if !values.contains(value) {
                values.append(value)
                values.sort { $0.count > $1.count }  // longest first, so a secret containing another is redacted whole
            }
        }
    }

    /// The text with every marked value replaced by `•••`.
    public func redact(_ text: String) -> String {
        let current = values.withLock { $0 }
        guard !current.isEmpty else { return text }
        var result = text
        for value in current where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "•••")
        }
        return result
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
