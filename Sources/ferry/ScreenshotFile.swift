import Foundation

/// Writes a screenshot under a folder without ever overwriting an earlier one.
enum ScreenshotFile {
    /// Saves `png` as `<folder>/<name>-<timestamp>.png` (with `-2`, `-3`... if taken the same second).
    static func save(_ png: Data, in folder: String, name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let stem = "\(folder)/\(name)-\(formatter.string(from: Date()))"
        for attempt in 1...1000 {
            let path = attempt == 1 ? stem + ".png" : "\(stem)-\(attempt).png"
            do {
                try png.write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
                return path
            } catch CocoaError.fileWriteFileExists {
                continue
            }
        }
        throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: stem + ".png"])
    }
}
