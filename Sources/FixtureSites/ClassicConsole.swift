import Foundation
import Hummingbird

/// The ledger's classic console at `/classic/`, built the way 1999 back offices were: a frameset
/// (a `menu` frame and a `main` frame), a save guarded by `confirm()`, a void that asks its reason
/// with `prompt()`, and a report that opens in a popup window with its own CSV export.
///
/// Routes (a session is needed): `GET /classic/` (the frameset), `GET /classic/menu`,
/// `GET /classic/welcome`, `GET /classic/records`, `GET /classic/records/<id>`,
/// `POST /classic/records/<id>` (saves the note under the save faults), `POST /classic/records/<id>/void`
/// (notes "VOID: <reason>"), `GET /classic/report` (the popup), `GET /classic/notice` (alerts as it loads).
struct ClassicConsole: Sendable {
    let site: LedgerSite

    static let templates = ["head", "frameset", "menu", "welcome", "records", "record", "report", "notice"].map { "classic/\($0)" }

    func addRoutes(to router: Router<BasicRequestContext>) {
        let auth = site.auth
        router.get("/classic") { request, _ in
            try await auth.require(request) { _ in .html(site.templates.render("classic/frameset", [:])) }
        }
        router.get("/classic/menu") { request, _ in
            try await auth.require(request) { _ in page("menu", title: "Menu") }
        }
        router.get("/classic/welcome") { request, _ in
            try await auth.require(request) { user in page("welcome", title: "Welcome", ["user": user]) }
        }
        router.get("/classic/notice") { request, _ in
            try await auth.require(request) { _ in page("notice", title: "Notices") }
        }
        router.get("/classic/records") { request, _ in
            try await auth.require(request) { _ in page("records", title: "Records", ["rows": site.records.all.map(Self.row)]) }
        }
        router.get("/classic/report") { request, _ in
            try await auth.require(request) { _ in
                let rows = site.records.all.map(Self.row)
                return page("report", title: "Records report", ["rows": rows, "count": rows.count])
            }
        }
        router.get("/classic/records/:id") { request, context in
            try await auth.require(request) { _ in
                recordPage(id: context.parameters.get("id", as: Int.self), request: request)
            }
        }
        router.post("/classic/records/:id") { request, context in
            try await auth.require(request) { _ in
                let form = try await request.urlEncodedForm()
                guard let id = context.parameters.get("id", as: Int.self), site.records.record(id: id) != nil else { return notFound() }
                return try await site.save { () -> Response in
                    _ = site.records.setNote(form["note"] ?? "", id: id)
                    return .redirect(to: "/classic/records/\(id)?saved=1")
                }
            }
        }
        router.post("/classic/records/:id/void") { request, context in
            try await auth.require(request) { _ in
                let form = try await request.urlEncodedForm()
                guard let id = context.parameters.get("id", as: Int.self), site.records.record(id: id) != nil else { return notFound() }
                let reason = (form["reason"] ?? "").trimmingSpaces
                guard !reason.isEmpty else {
                    return ErrorPageMiddleware<BasicRequestContext>.page(site.templates, status: .unprocessableContent, detail: "A void needs a reason.")
                }
                return try await site.save { () -> Response in
                    _ = site.records.setNote("VOID: \(reason)", id: id)
                    return .redirect(to: "/classic/records/\(id)?voided=1")
                }
            }
        }
    }

    private func recordPage(id: Int?, request: Request) -> Response {
        guard let id, let record = site.records.record(id: id) else { return notFound() }
        var context = Self.row(record)
        context["saved"] = request.queryFields["saved"] == "1"
        context["voided"] = request.queryFields["voided"] == "1"
        return page("record", title: "Record \(record.key)", ["record": context])
    }

    private func page(_ name: String, title: String, _ extra: [String: Any] = [:]) -> Response {
        var context = extra
        context["title"] = title
        return .html(site.templates.render("classic/\(name)", context))
    }

    private func notFound() -> Response {
        ErrorPageMiddleware<BasicRequestContext>.page(site.templates, status: .notFound, detail: "No record with that id exists.")
    }

    private static func row(_ record: LedgerRecord) -> [String: Any] {
        ["id": record.id, "key": record.key, "name": record.name, "note": record.note]
    }
}
