import Crypto
import Foundation

/// SHA-256 as lower-case hex: the form artifacts, audit rows and session tokens are kept in.
public enum SHA256Hex {
    public static func of(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Bytes as lower-case hex, two digits each. By table: `String(format: "%02x")` per byte cost more
    /// than the hashing, and every audit row pays it.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
