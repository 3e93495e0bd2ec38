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

    static let templates = [
        "lab/index", "lab/delayed", "lab/echo", "lab/console-bar", "lab/fixed-bar", "lab/grid", "lab/long-table", "lab/late-form",
    ] + pages.map { "lab/\($0)" }

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
        router.get("/lab/console-bar") { request, _ in
            // `mask=N`: a loading mask covers the page for N ms.
            let mask = Int(request.queryFields["mask"] ?? "").map { min(max($0, 0), 60_000) }
            return page("console-bar", title: "Console bar", mask.map { ["mask": $0] } ?? [:])
        }
        router.get("/lab/grid") { request, _ in gridPage(request, page: Int(request.queryFields["page"] ?? "")) }
        router.post("/lab/grid") { request, _ in
            let form = try await request.urlEncodedForm()
            return gridPage(request, page: Int(form["page"] ?? ""))
        }
        router.get("/lab/grid-data") { request, _ in
            let query = request.queryFields
            let grid = LabGrid(total: Int(query["rows"] ?? ""), perPage: Int(query["per"] ?? ""))
            let delay = min(max(Int(query["delay"] ?? "") ?? 300, 0), 10_000)
            try? await Task.sleep(for: .milliseconds(delay))
            let rows = grid.rows(page: grid.clamp(Int(query["page"] ?? "")), updated: query["updated"] == "1")
            let json = rows.map { row in
                "{" + ["id", "name", "status"].map { "\"\($0)\":\"\(row[$0] ?? "")\"" }.joined(separator: ",") + "}"
            }
            return Response.text("[" + json.joined(separator: ",") + "]", contentType: "application/json")
        }
        router.get("/lab/long-table") { request, _ in
            let rows = Int(request.queryFields["rows"] ?? "") ?? 350
            return page("long-table", title: "Long table", ["rows": LabGrid.longRows(rows)])
        }
        router.get("/lab/late-form") { request, _ in
            // `idDelay=N`: the field gets its id N ms after the form appears; -1: never.
            let idDelay = min(max(Int(request.queryFields["idDelay"] ?? "") ?? 400, -1), 60_000)
            return page("late-form", title: "Late form", ["idDelay": idDelay])
        }
        // A long table under a fixed console bar (a database admin's), saying how many rows it has:
        // `total` is the count shown, `lose` leaves that many rows out of the table.
        router.get("/lab/fixed-bar") { request, _ in
            let query = request.queryFields
            let total = min(max(Int(query["total"] ?? "") ?? 300, 0), 5_000)
            let lose = min(max(Int(query["lose"] ?? "") ?? 0, 0), total)
            let rows: [[String: Any]] = (0..<(total - lose)).map { ["id": $0 + 1] }
            return page("fixed-bar", title: "Fixed bar", ["total": total, "rows": rows])
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

    private func gridPage(_ request: Request, page number: Int?) -> Response {
        let query = request.queryFields
        let grid = LabGrid(total: Int(query["rows"] ?? ""), perPage: Int(query["per"] ?? ""))
        let current = grid.clamp(number)
        return page("grid", title: "Grid", [
            "rows": grid.rows(page: current), "page": current, "pages": grid.pages, "total": grid.total, "per": grid.perPage,
            "next": current + 1, "hasNext": current < grid.pages,
            "delay": min(max(Int(query["delay"] ?? "") ?? 300, 0), 10_000),
        ])
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
