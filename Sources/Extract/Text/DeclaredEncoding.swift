/// Reads the encoding a document declares about itself, from its first few kilobytes.
///
/// Only consulted when the bytes are not valid UTF-8: a declaration is a hint, often a wrong one.
enum DeclaredEncoding {
    /// How far into the document a declaration is looked for (browsers look at the first 1024 bytes).
    static let window = 4096

    /// The `charset` of a `<meta charset=...>` or `<meta http-equiv=Content-Type content="...; charset=...">`.
    static func html(_ bytes: UnsafeRawBufferPointer) -> String? {
        value(after: Array("charset=".utf8), in: bytes)
    }

    /// The `encoding` of an `<?xml version="1.0" encoding="..."?>` declaration.
    static func xml(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count > 5, bytes[0] == UInt8(ascii: "<"), bytes[1] == UInt8(ascii: "?") else { return nil }
        return value(after: Array("encoding=".utf8), in: bytes)
    }

    /// The token following `key` (case-insensitive), without quotes, or `nil`.
    private static func value(after key: [UInt8], in bytes: UnsafeRawBufferPointer) -> String? {
        let end = min(bytes.count, window)
        guard end >= key.count else { return nil }
        var index = 0
        while index + key.count <= end {
            var matches = true
            for offset in 0..<key.count where lowercased(bytes[index + offset]) != key[offset] {
                matches = false
                break
            }
            if matches {
                var start = index + key.count
                while start < end, bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") || bytes[start] == 0x20 {
                    start += 1
                }
                var stop = start
                while stop < end, isLabelByte(bytes[stop]) { stop += 1 }
                guard stop > start else { return nil }
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
            }
            index += 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }
}
