import Foundation
import Store
import WebDriver

/// Saves what a person needs to see why a step failed: a small JPEG preview of the window, a
/// full-page screenshot (fixed bars hidden), the page source and the URL, under
/// `screenshots/<run>/<stage>-<step>-<time>.*`, each recorded as an artifact. The preview is named
/// `preview:<the screenshot's file name>`, so a report embeds it and links the full picture.
struct FailureEvidence {
    let folder: String
    let runID: String
    let store: any RunStore

    /// Captures the session's page; returns the paths saved. Never throws: evidence is best effort.
    func capture(session: WebDriverSession, stage: String, step: Int, itemKey: String?, redact: (String) -> String) async -> [String] {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stamp = Self.timestamp()
        let item = itemKey.map { "-" + Self.safe($0) } ?? ""
        let stem = "\(folder)/\(Self.safe(stage))-\(step)\(item)-\(stamp)"
        var saved: [String] = []
        // The preview first: it shows the window as the step left it.
        let preview = try? await session.previewJPEG()
        if let png = try? await session.fullPageScreenshot(hidingFixedElements: true), let path = NonOverwritingFile.write(png, to: stem + ".png") {
            saved.append(path)
            record(.screenshot, path: path, data: png, stage: stage, step: step, itemKey: itemKey)
            if let preview, let previewPath = NonOverwritingFile.write(preview, to: stem + ".preview.jpg") {
                record(.screenshot, path: previewPath, data: preview, stage: stage, step: step, itemKey: itemKey, name: Self.previewName(of: path))
            }
        }
        if let source = try? await session.pageSource() {
            let url = (try? await session.currentURL()) ?? "?"
            let html = "<!-- captured by Ferry from \(redact(url)) -->\n" + redact(source)
            let data = Data(html.utf8)
            if let path = NonOverwritingFile.write(data, to: stem + ".html") {
                saved.append(path)
                record(.pageSource, path: path, data: data, stage: stage, step: step, itemKey: itemKey)
            }
            saved.append("url \(redact(url))")
        }
        return saved
    }

    private func record(_ kind: Artifact.Kind, path: String, data: Data, stage: String, step: Int, itemKey: String?, name: String? = nil) {
        _ = try? store.recordArtifact(
            Artifact(runID: runID, kind: kind, path: path, size: data.count, sha256: FileDigest.sha256(data), stage: stage,
                     step: step - 1, itemKey: itemKey, name: name),
            actor: "engine")
    }

    /// The artifact name of a screenshot's preview.
    static func previewName(of screenshotPath: String) -> String {
        "preview:" + (screenshotPath as NSString).lastPathComponent
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss-SSS"
        return formatter.string(from: Date())
    }

    /// A name safe in a file name.
    static func safe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
