import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
        for value in current {
            if let redacted = result.replacingEvery(value, with: "•••") { result = redacted }
        }
        return result
    }
}

extension String {
    /// The text with every occurrence of `target` (compared byte for byte, as typed) replaced, or nil
    /// when there is none. Page sources of hundreds of kilobytes pass through here, so the search
    /// runs on the UTF-8 bytes with the C library's `memchr` and `memcmp`, not a character-by-character comparison.
    fileprivate func replacingEvery(_ target: String, with replacement: String) -> String? {
        var text = self
        var needle = target
        return text.withUTF8 { haystack -> String? in
            needle.withUTF8 { needle -> String? in
                guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, !needle.isEmpty else { return nil }
                var output: [UInt8] = []
                var start = 0
                var from = 0
                while from <= haystack.count - needle.count,
                    let candidate = memchr(base + from, Int32(needle[0]), haystack.count - needle.count + 1 - from)
                {
                    let offset = base.distance(to: candidate.assumingMemoryBound(to: UInt8.self))
                    guard memcmp(base + offset, needleBase, needle.count) == 0 else {
                        from = offset + 1
                        continue
                    }
                    if output.isEmpty { output.reserveCapacity(haystack.count) }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[start..<offset]))
                    output.append(contentsOf: replacement.utf8)
                    start = offset + needle.count
                    from = start
                }
                guard start > 0 else { return nil }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[start...]))
                return String(decoding: output, as: UTF8.self)
            }
        }
    }
}
