import Foundation
import Mustache

/// The dashboard's mustache templates, stylesheet and script, loaded once at start.
///
/// They ship as the `Dashboard` module's resources (`Ferry_Dashboard.resources/Templates` next to the
/// program); `FERRY_DASHBOARD_TEMPLATES` or the configuration may point elsewhere, and a source checkout
/// is the last resort.
struct DashboardTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: String
    let script: String
    let folder: String

    static let required = ["sign-in", "status", "activity", "run", "item", "exceptions", "trigger", "users", "message", "header", "footer",
                           "audit", "audit-row", "artifacts", "artifact-row", "checkpoint-row", "run-item-row"]

    static func load(configured: String?) async throws(DashboardError) -> DashboardTemplates {
        guard let folder = locate(configured: configured) else {
            throw DashboardError("cannot find the dashboard's templates (Ferry_Dashboard.resources/Templates next to the ferry program); set FERRY_DASHBOARD_TEMPLATES to the Sources/Dashboard/Templates folder")
        }
        ScalarHTMLContentType.registered
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: folder)
        } catch {
            throw DashboardError("the dashboard's templates in \(folder) cannot be read: \(error)")
        }
        if let missing = required.first(where: { library.getTemplate(named: $0) == nil }) {
            throw DashboardError("template \(folder)/\(missing).mustache is missing")
        }
        // A template without the pragma would escape per Character (see ScalarHTMLContentType): refuse to start.
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".mustache") }
        for file in files {
            let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
            guard text.hasPrefix(ScalarHTMLContentType.pragma) else {
                throw DashboardError("template \(folder)/\(file) must start with \(ScalarHTMLContentType.pragma) (scalar-level HTML escaping)")
            }
        }
        let stylesheet = (try? String(contentsOfFile: folder + "/style.css", encoding: .utf8)) ?? ""
        let script = (try? String(contentsOfFile: folder + "/live.js", encoding: .utf8)) ?? ""
        return DashboardTemplates(library: library, stylesheet: stylesheet, script: script, folder: folder)
    }

    func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? "<!DOCTYPE html><title>Ferry</title><p>The page template is missing.</p>"
    }

    private static func locate(configured: String?, sourceFile: String = #filePath) -> String? {
        var candidates: [String] = []
        if let configured { candidates.append(configured) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FERRY_DASHBOARD_TEMPLATES"] { candidates.append(fromEnvironment) }
        let programFolder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        for base in [Bundle.main.bundleURL.path, Bundle.main.bundleURL.deletingLastPathComponent().path, programFolder] {
            candidates.append(base + "/Ferry_Dashboard.resources/Templates")
            candidates.append(base + "/Ferry_Dashboard.resources")
        }
        candidates.append(URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent("Templates").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/status.mustache") }
    }
}

/// The dashboard could not start.
public struct DashboardError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
