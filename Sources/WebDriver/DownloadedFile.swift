/// A file the browser finished downloading.
public struct DownloadedFile: Sendable, Hashable {
    /// The absolute path where it landed.
    public let path: String
    public let size: Int
    /// The SHA-256 of its content, lower-case hex.
    public let sha256: String

    public init(path: String, size: Int, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}
