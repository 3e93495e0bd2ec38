import Foundation
import Hummingbird
import Synchronization

/// The ledger's two-step import, like an admin application's import wizard: uploading a CSV file only
/// shows a preview (nothing is entered); the preview's Confirm button enters the rows. Idempotent by
/// the `appointment_id` column: rows already in the ledger are skipped and counted.
///
/// Routes (a session is needed): `GET /import`, `POST /import` (multipart CSV, the bulk upload's
/// header), `POST /import/confirm` (the preview's token; under the save faults). A confirm whose
/// preview is unknown or already used answers 400, as an expired wizard step does.
struct ImportWizard: Sendable {
    let site: LedgerSite
    private let previews = Previews()

    /// Previews waiting for their confirm, by token.
    private final class Previews: Sendable {
        private let drafts = Mutex<[String: [EntryDraft]]>([:])

        func keep(_ rows: [EntryDraft]) -> String {
            let token = UUID().uuidString.lowercased()
            drafts.withLock { $0[token] = rows }
            return token
        }

        /// The rows of a preview, once: a confirm uses its preview up.
        func take(_ token: String) -> [EntryDraft]? {
            drafts.withLock { $0.removeValue(forKey: token) }
        }
    }

    init(site: LedgerSite) {
        self.site = site
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        let auth = site.auth
        router.get("/import") { request, _ in
            try await auth.require(request) { user in page(user: user, error: nil) }
        }
        router.post("/import") { request, _ in
            try await auth.require(request) { user in try await preview(request, user: user) }
        }
        router.post("/import/confirm") { request, _ in
            try await auth.require(request) { user in try await confirm(request, user: user) }
        }
    }

    private func page(user: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        var context = site.layout(title: "Import", user: user, active: "import")
        context["header"] = LedgerSite.uploadHeader.joined(separator: ",")
        if let error { context["error"] = error }
        return .html(site.templates.render("import", context), status: status)
    }

    private func preview(_ request: Request, user: String) async throws -> Response {
        let body = try await request.bodyBytes(limit: 16 * 1024 * 1024)
        let records: [CSVReader.Record]
        switch LedgerSite.uploadedRecords(body, contentType: request.contentType) {
        case .success(let parsed): records = parsed
        case .failure(let problem): return page(user: user, error: problem.message, status: .badRequest)
        }
        guard let header = records.first, header.fields.map({ $0.trimmingSpaces.lowercased() }) == LedgerSite.uploadHeader else {
            return page(user: user, error: "The first line must be the header \(LedgerSite.uploadHeader.joined(separator: ",")).", status: .badRequest)
        }
        var drafts: [EntryDraft] = []
        var problems: [String] = []
        for record in records.dropFirst() {
            let fields = record.fields
            guard fields.count == LedgerSite.uploadHeader.count else {
                problems.append("Line \(record.line) has \(fields.count) fields; expected \(LedgerSite.uploadHeader.count).")
                continue
            }
            switch EntryValidator.validate(appointmentID: fields[0], patientID: fields[1], patient: fields[2], date: fields[3], amount: fields[4]) {
            case .failure(let errors): problems.append("Line \(record.line): " + errors.messages.joined(separator: " "))
            case .success(let draft): drafts.append(draft)
            }
        }
        if !problems.isEmpty {
            return page(user: user, error: problems.joined(separator: " "), status: .badRequest)
        }
        let present = drafts.filter { site.store.confirmation(of: $0.appointmentID) != nil }.count
        var context = site.layout(title: "Import preview", user: user, active: "import")
        context["token"] = previews.keep(drafts)
        context["count"] = drafts.count
        context["present"] = present
        context["rows"] = drafts.map { ["appointmentID": $0.appointmentID, "patient": $0.patient, "date": $0.date, "amount": Money.format($0.amountCents)] }
        return .html(site.templates.render("import-preview", context))
    }

    private func confirm(_ request: Request, user: String) async throws -> Response {
        let form = try await request.urlEncodedForm()
        guard let token = form["token"], let drafts = previews.take(token) else {
            return page(user: user, error: "This preview has expired or was already imported; upload the file again.", status: .badRequest)
        }
        return try await site.save { () -> Response in
            var imported = 0
            var skipped = 0
            for draft in drafts {
                switch site.store.enter(draft, source: .upload) {
                case .success: imported += 1
                case .failure: skipped += 1
                }
            }
            var context = site.layout(title: "Import done", user: user, active: "import")
            context["imported"] = imported
            context["skipped"] = skipped
            return .html(site.templates.render("import-result", context))
        }
    }
}
