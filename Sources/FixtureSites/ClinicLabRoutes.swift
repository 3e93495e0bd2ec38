import Hummingbird

/// Logged-out pages under `/lab/` that exercise the hard parts of a WebDriver client: frames,
/// dialogs, windows, intercepted clicks, stale elements, late content, every kind of form
/// field, and a download that never finishes. These pages may use inline scripts.
struct ClinicLabRoutes: Sendable {
    let templates: SiteTemplates
    let shutdown: ShutdownSignal

    /// The lab's templates, each served at `/lab/<name>` with a GET.
    static let pages = [
        "frames", "frame-inner", "frame-nested", "alert", "windows", "popup", "overlay", "stale", "form",
        "download-slow",
    ]

    static let templates = ["lab/index", "lab/delayed", "lab/echo", "lab/console-bar"] + pages.map { "lab/\($0)" }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/lab") { _, _ in page("index", title: "WebDriver lab") }
        for name in Self.pages {
            router.get("/lab/\(name)") { _, _ in page(name, title: Self.title(of: name)) }
        }
        router.get("/lab/delayed") { request, _ in
            let query = request.queryFields
            let rows = min(max(Int(query["rows"] ?? "") ?? 500, 0), 20_000)
            let delay = min(max(Int(query["delay"] ?? "") ?? 300, 0), 60_000)
            return page("delayed", title: "Delayed table", ["rows": rows, "delay": delay])
        }
        // A long table under a fixed console bar (a database admin's), saying how many rows it has:
        // `total` is the count shown, `lose` leaves that many rows out of the table.
        router.get("/lab/console-bar") { request, _ in
            let query = request.queryFields
            let total = min(max(Int(query["total"] ?? "") ?? 300, 0), 5_000)
            let lose = min(max(Int(query["lose"] ?? "") ?? 0, 0), total)
            let rows: [[String: Any]] = (0..<(total - lose)).map { ["id": $0 + 1] }
            return page("console-bar", title: "Console bar", ["total": total, "rows": rows])
        }
        router.post("/lab/echo") { request, _ in
            try await echo(request)
        }
        router.get("/lab/never-ending.csv") { request, _ in
            Response.attachment(
                filename: "never-ending.csv", contentType: "text/csv; charset=utf-8",
                body: HangingBody.make(prefix: "id,name\r\n1,first row\r\n", request: request, shutdown: shutdown))
        }
    }

    private func page(_ name: String, title: String, _ extra: [String: Any] = [:]) -> Response {
        var context = extra
        context["title"] = title
        return .html(templates.render("lab/\(name)", context))
    }

    /// Echoes a posted form as a definition list, for both URL-encoded and multipart posts.
    private func echo(_ request: Request) async throws -> Response {
        var fields: [[String: Any]] = []
        if request.contentType.lowercased().hasPrefix("multipart/form-data") {
            do {
                let parser = try MultipartFormParser(contentType: request.contentType)
                for part in try parser.parse(try await request.bodyBytes(limit: 8 * 1024 * 1024)) {
                    let value = part.filename.map { "\($0) (\(part.body.count) bytes)" } ?? part.text
                    fields.append(["name": part.name, "value": value])
                }
            } catch let failure as MultipartFormParser.Failure {
                return ErrorPageMiddleware<BasicRequestContext>.page(templates, status: .badRequest, detail: failure.description)
            }
        } else {
            for (name, value) in try await request.urlEncodedForm().pairs {
                fields.append(["name": name, "value": value])
            }
        }
        return page("echo", title: "Echo", ["fields": fields, "count": fields.count])
    }

    private static func title(of name: String) -> String {
        switch name {
        case "frames": "Frames"
        case "frame-inner": "Inner frame"
        case "frame-nested": "Nested frame"
        case "alert": "Dialogs"
        case "windows": "Windows"
        case "popup": "Popup"
        case "overlay": "Overlay"
        case "stale": "Stale elements"
        case "form": "Form fields"
        case "download-slow": "Slow download"
        default: name
        }
    }
}
