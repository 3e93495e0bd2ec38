import Foundation
import Store

/// SHA-256 of files and data, as lower-case hex.
public enum FileDigest {
    public static func sha256(_ data: Data) -> String {
        SHA256Hex.of(data)
    }

    /// The digest of a file, or `nil` when it cannot be read.
    public static func sha256(path: String) -> String? {
        FileManager.default.contents(atPath: path).map(sha256)
    }
}
