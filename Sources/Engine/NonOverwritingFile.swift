import Foundation

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
            do {
                try data.write(to: URL(fileURLWithPath: candidate), options: .withoutOverwriting)
                return candidate
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch {
                return nil
            }
        }
        return nil
    }
}
