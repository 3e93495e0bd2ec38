import Foundation
import Hummingbird

/// The ledger's records admin, shaped like an off-the-shelf admin application's change list: a list
/// of records whose columns include `id` and `key`, a CSV export, and a change page per record at
/// `/records/<id>/change/` whose form carries a CSRF token.
///
/// Routes (a session is needed): `GET /records`, `GET /records/export.csv`,
/// `GET /records/<id>/change/`, `POST /records/<id>/change/` (saves the note under the save faults,
/// then redirects to the change page with a success message).
struct RecordsAdmin: Sendable {
    let site: LedgerSite

    func addRoutes(to router: Router<BasicRequestContext>) {
        let auth = site.auth
        router.get("/records") { request, _ in
            try await auth.require(request) { user in list(user: user) }
        }
        router.get("/records/export.csv") { request, _ in
            try await auth.require(request) { _ in export() }
        }
        router.get("/records/:id/change/") { request, context in
            try await auth.require(request) { user in
                changePage(id: context.parameters.get("id", as: Int.self), user: user, saved: request.queryFields["saved"] == "1")
            }
        }
        router.post("/records/:id/change/") { request, context in
            try await auth.require(request) { user in
                try await change(request, id: context.parameters.get("id", as: Int.self), user: user)
            }
        }
    }

    private func list(user: String) -> Response {
        var context = site.layout(title: "Records", user: user, active: "records")
        context["rows"] = site.records.all.map(Self.row)
        return .html(site.templates.render("records", context))
    }

    private func export() -> Response {
        let csv = site.records.all.reduce(into: CSVWriter.line(["id", "key", "name", "review_note", "note"])) { csv, record in
            csv += CSVWriter.line([String(record.id), record.key, record.name, record.reviewNote, record.note])
        }
        return .attachment(filename: "records.csv", contentType: "text/csv; charset=utf-8", body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
    }

    private func changePage(id: Int?, user: String, saved: Bool) -> Response {
        guard let id, let record = site.records.record(id: id) else {
            return ErrorPageMiddleware<BasicRequestContext>.page(site.templates, status: .notFound, detail: "No record with that id exists.")
        }
        var context = site.layout(title: "Change record", user: user, active: "records")
        context["record"] = Self.row(record)
        context["saved"] = saved
        context["csrf"] = Self.csrfToken(for: record)
        return .html(site.templates.render("record-form", context))
    }

    private func change(_ request: Request, id: Int?, user: String) async throws -> Response {
        let form = try await request.urlEncodedForm()
        guard let id, let record = site.records.record(id: id) else {
            return ErrorPageMiddleware<BasicRequestContext>.page(site.templates, status: .notFound, detail: "No record with that id exists.")
        }
        guard form["csrf_token"] == Self.csrfToken(for: record) else {
            return ErrorPageMiddleware<BasicRequestContext>.page(site.templates, status: .forbidden, detail: "CSRF verification failed. Request aborted.")
        }
        return try await site.save { () -> Response in
            _ = site.records.setNote(form["note"] ?? "", id: id)
            return .redirect(to: "/records/\(id)/change/?saved=1")
        }
    }

    /// A token bound to the record's page, as a CSRF-protected admin form has one.
    private static func csrfToken(for record: LedgerRecord) -> String {
        "csrf-\(record.id)-\(record.key.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) })"
    }

    private static func row(_ record: LedgerRecord) -> [String: Any] {
        ["id": record.id, "key": record.key, "name": record.name, "reviewNote": record.reviewNote, "note": record.note]
    }
}
