import Foundation
import Mustache

/// The mustache templates and stylesheet of one site, loaded from `fixtures/<site>/`.
///
/// Each `.mustache` file is registered under its path without the extension (`login`, `lab/frames`),
/// and partials (`{{> header}}`) refer to each other by those names.
struct SiteTemplates: Sendable {
    let site: FixtureSite
    let library: MustacheLibrary
    let stylesheet: String

    /// Loads `directory/<site>/` and checks that every template in `required` is there.
    static func load(fixturesDirectory directory: String, site: FixtureSite, required: [String]) async throws -> SiteTemplates {
        let folder = (directory as NSString).appendingPathComponent(site.rawValue)
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: folder)
        } catch let error as MustacheLibrary.ParserError {
            throw FixtureError(
                .templateInvalid,
                "template \(folder)/\(error.filename) is invalid at line \(error.context.lineNumber): \(error.error)"
            )
        }
        if let missing = required.first(where: { library.getTemplate(named: $0) == nil }) {
            throw FixtureError(
                .fixturesNotFound,
                "template \(folder)/\(missing).mustache is missing: point --fixtures-dir or FERRY_FIXTURES_DIR at Ferry's fixtures folder"
            )
        }
        let cssPath = (folder as NSString).appendingPathComponent("style.css")
        let stylesheet = (try? String(contentsOfFile: cssPath, encoding: .utf8)) ?? ""
        return SiteTemplates(site: site, library: library, stylesheet: stylesheet)
    }

    /// The rendered template, or a bare error page naming the missing template.
    func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name)
            ?? "<!DOCTYPE html><title>Template missing</title><p>Template \(name) is missing.</p>"
    }
}
