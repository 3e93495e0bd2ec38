import Foundation
import Store

/// Finds an artifact's file on disk, only inside its own run's folders: `<runs>/<run id>` or
/// `<screenshots>/<run id>`. The path recorded in the store is resolved (symbolic links and `..`
/// included) and refused when it ends up anywhere else.
struct ArtifactFiles: Sendable {
    let runsDirectory: String
    let screenshotsDirectory: String
    let baseDirectories: [String]

    init(configuration: DashboardConfiguration) {
        runsDirectory = configuration.runsDirectory
        screenshotsDirectory = configuration.screenshotsDirectory
        var bases = [FileManager.default.currentDirectoryPath]
        if let base = configuration.baseDirectory { bases.append(base) }
        baseDirectories = bases
    }

    /// The resolved file, or `nil` when it is missing or outside the run's folders.
    func file(for artifact: Artifact) -> String? {
        guard !artifact.runID.isEmpty, !artifact.runID.contains("/"), artifact.runID != "..", artifact.runID != "." else { return nil }
        for base in baseDirectories {
            let roots = [runsDirectory, screenshotsDirectory].compactMap { Self.realPath(Self.absolute($0, base: base) + "/" + artifact.runID) }
            guard let resolved = Self.realPath(Self.absolute(artifact.path, base: base)) else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if roots.contains(where: { resolved.hasPrefix($0 + "/") }) { return resolved }
        }
        return nil
    }

    static func absolute(_ path: String, base: String) -> String {
        path.hasPrefix("/") ? path : base + "/" + path
    }

    /// `realpath(3)`: the canonical path with every link and `..` resolved, or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func contentType(for artifact: Artifact, path: String) -> String {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        // Ferry's own pages (run reports, shadow comparisons) escape everything they show: they render.
        if artifact.kind == .report, fileExtension == "html" { return "text/html; charset=utf-8" }
        return switch fileExtension {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "pdf": "application/pdf"
        // Page sources and everything else are sent as plain text or bytes, never as HTML to render.
        case "html", "htm", "csv", "txt", "xml", "json": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
