import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files without ever replacing one: a taken name gets `-2`, `-3`… before its extension.
public enum NonOverwritingFile {
    /// Writes `data` at `path`, or beside it under the first free name; returns the path written,
    /// or `nil` when the folder cannot be written.
    public static func write(_ data: Data, to path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().path
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        for attempt in 1...10_000 {
            let candidate = attempt == 1 ? path : "\(stem)-\(attempt)\(suffix)"
            switch create(candidate, with: data) {
            case .written: return candidate
            case .taken: continue
            case .failed: return nil
            }
        }
        return nil
    }

    private enum Creation { case written, taken, failed }

    /// Creates the file only if the name is free (`O_EXCL`) and writes it whole. No `fsync`: these are
    /// evidence and pages kept for people, and Foundation's writer synced every one to disk.
    private static func create(_ path: String, with data: Data) -> Creation {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return errno == EEXIST ? .taken : .failed }
        defer { close(descriptor) }
        let complete = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
        if !complete { unlink(path) }
        return complete ? .written : .failed
    }
}
