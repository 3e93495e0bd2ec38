import Engine
import Foundation
import WebDriver

/// Writes a screenshot under a folder without ever overwriting an earlier one.
enum ScreenshotFile {
    /// Saves `png` as `<folder>/<name>-<timestamp>.png` (with `-2`, `-3`... if taken the same second).
    static func save(_ png: Data, in folder: String, name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(name)-\(FileNameTimestamp.string(Date())).png"
        guard let written = NonOverwritingFile.write(png, to: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return written
    }
}
