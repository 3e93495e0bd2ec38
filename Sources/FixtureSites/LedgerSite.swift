import Foundation
import Hummingbird

/// The ledger, Ferry's destination system: a per-record entry form, a bulk CSV upload and a list of
/// what has been entered, each entry keyed by the clinic's appointment ID.
///
/// Routes (all pages but `/login`, `/api/`, `/static/` and `/_control/` need a session):
/// - `GET /login`, `POST /login`, `GET /logout`
/// - `GET /entries/new`, `POST /entries` (confirmation `L-000001`..., 409 on a duplicate)
/// - `GET /entries?key=A-...`
/// - `GET /upload`, `POST /upload` (multipart CSV `appointment_id,patient_id,patient,date,amount`)
/// - `GET /api/entries` (JSON, no login)
/// - `/_control/faults`, `/_control/reset` (reset also clears every entry)
struct LedgerSite: Sendable {
    let templates: SiteTemplates
    let auth: SiteAuth
    let faults: FaultSwitches
    let store: LedgerStore
    let records: LedgerRecords

    /// The header line the bulk upload expects.
    static let uploadHeader = ["appointment_id", "patient_id", "patient", "date", "amount"]

    static let requiredTemplates = [
        "header", "footer", "login", "entry-form", "confirmation", "entries", "upload", "upload-result", "error",
        "records", "record-form", "import", "import-preview", "import-result",
    ] + ClassicConsole.templates

    func makeRouter() -> Router<BasicRequestContext> {
        let router = SiteRoutes(
            templates: templates, auth: auth, faults: faults, userField: "user", passwordField: "password",
            home: "/entries/new", reset: { [store, records] in
                store.removeAll()
                records.reset()
            }
        ).makeRouter()
        router.get("/entries/new") { request, _ in
            try await auth.require(request) { user in entryForm(user: user, values: [:], errors: []) }
        }
        router.post("/entries") { request, _ in
            try await auth.require(request) { user in try await saveEntry(request, user: user) }
        }
        router.get("/entries") { request, _ in
            try await auth.require(request) { user in entriesPage(request, user: user) }
        }
        router.get("/upload") { request, _ in
            try await auth.require(request) { user in uploadPage(user: user, error: nil) }
        }
        router.post("/upload") { request, _ in
            try await auth.require(request) { user in try await upload(request, user: user) }
        }
        router.get("/api/entries") { request, _ in
            let key = request.queryFields["key"].flatMap { $0.isEmpty ? nil : $0 }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(store.entries(appointmentID: key))
            return Response.text(String(decoding: data, as: UTF8.self), contentType: "application/json")
        }
        RecordsAdmin(site: self).addRoutes(to: router)
        ImportWizard(site: self).addRoutes(to: router)
        ClassicConsole(site: self).addRoutes(to: router)
        return router
    }

    // MARK: Entry form

    private static let entryFields = ["appointment_id", "patient_id", "patient", "date", "amount", "notes"]

    private func entryForm(
        user: String, values: [String: String], errors: [String], status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = layout(title: "New entry", user: user, active: "new")
        for field in Self.entryFields { context[field] = values[field] ?? "" }
        context["hasErrors"] = !errors.isEmpty
        context["errors"] = errors.map { ["message": $0] }
        context["renamedButton"] = faults.current.renamedButton
        return .html(templates.render("entry-form", context), status: status)
    }

    private func saveEntry(_ request: Request, user: String) async throws -> Response {
        let form = try await request.urlEncodedForm()
        var values: [String: String] = [:]
        for field in Self.entryFields { values[field] = form[field] ?? "" }
        let validated = EntryValidator.validate(
            appointmentID: form["appointment_id"], patientID: form["patient_id"], patient: form["patient"],
            date: form["date"], amount: form["amount"], notes: form["notes"]
        )
        switch validated {
        case .failure(let errors):
            return entryForm(user: user, values: values, errors: errors.messages, status: .unprocessableContent)
        case .success(let draft):
            return try await save { () -> Response in
                switch store.enter(draft, source: .form) {
                case .failure(let duplicate):
                    return entryForm(user: user, values: values, errors: [duplicate.message], status: .conflict)
                case .success(let entry):
                    var context = layout(title: "Entry saved", user: user, active: "new")
                    context["entry"] = Self.row(entry)
                    return .html(templates.render("confirmation", context))
                }
            }
        }
    }

    /// Runs one save under the save faults: it may answer 500 without committing, or commit and then
    /// answer 500 (the response lost after the database commit), and may wait after committing.
    func save(_ commit: () throws -> Response) async throws -> Response {
        let outcome = faults.nextSave()
        if outcome == .fail500 {
            return ErrorPageMiddleware<BasicRequestContext>.page(
                templates, status: .internalServerError, detail: "database is locked; nothing was saved")
        }
        let response = try commit()
        if let delay = faults.current.saveDelayMs { try? await Task.sleep(for: .milliseconds(delay)) }
        if outcome == .commitThen500 {
            return ErrorPageMiddleware<BasicRequestContext>.page(templates, status: .internalServerError, detail: "OperationalError at /save")
        }
        return response
    }

    // MARK: Entries

    private func entriesPage(_ request: Request, user: String) -> Response {
        var context = layout(title: "Entries", user: user, active: "entries")
        let key = request.queryFields["key"]?.trimmingSpaces ?? ""
        let entries = store.entries(appointmentID: key.isEmpty ? nil : key)
        context["key"] = key
        context["rows"] = entries.map(Self.row)
        context["count"] = entries.count
        context["empty"] = entries.isEmpty
        return .html(templates.render("entries", context))
    }

    private static let timestampFormat: Date.ISO8601FormatStyle = .iso8601

    private static func row(_ entry: LedgerEntry) -> [String: Any] {
        [
            "confirmation": entry.confirmation, "appointmentID": entry.appointmentID, "patientID": entry.patientID,
            "patient": entry.patient, "date": entry.date, "amount": Money.format(entry.amountCents),
            "source": entry.source.rawValue, "enteredAt": entry.enteredAt.formatted(timestampFormat),
            "notes": entry.notes,
        ]
    }

    // MARK: Upload

    private func uploadPage(user: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        var context = layout(title: "Bulk upload", user: user, active: "upload")
        context["header"] = Self.uploadHeader.joined(separator: ",")
        if let error { context["error"] = error }
        return .html(templates.render("upload", context), status: status)
    }

    private func upload(_ request: Request, user: String) async throws -> Response {
        let body = try await request.bodyBytes(limit: 16 * 1024 * 1024)
        if faults.current.uploadFails {
            return ErrorPageMiddleware<BasicRequestContext>.page(
                templates, status: .internalServerError,
                detail: "The upload could not be processed. Nothing was entered.")
        }
        let records: [CSVReader.Record]
        switch Self.uploadedRecords(body, contentType: request.contentType) {
        case .success(let parsed): records = parsed
        case .failure(let problem): return uploadPage(user: user, error: problem.message, status: .badRequest)
        }
        guard let header = records.first, header.fields.map({ $0.trimmingSpaces.lowercased() }) == Self.uploadHeader else {
            return uploadPage(
                user: user,
                error: "The first line must be the header \(Self.uploadHeader.joined(separator: ",")).",
                status: .badRequest)
        }

        var accepted: [[String: Any]] = []
        var rejected: [[String: Any]] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            func reject(_ reason: String, _ appointmentID: String) {
                rejected.append(["line": record.line, "appointmentID": appointmentID, "reason": reason])
            }
            let fields = record.fields
            guard fields.count == Self.uploadHeader.count else {
                reject("Line \(record.line) has \(fields.count) fields; expected \(Self.uploadHeader.count).", fields.first ?? "")
                continue
            }
            switch EntryValidator.validate(
                appointmentID: fields[0], patientID: fields[1], patient: fields[2], date: fields[3], amount: fields[4])
            {
            case .failure(let errors):
                reject(errors.messages.joined(separator: " "), fields[0].trimmingSpaces)
            case .success(let draft):
                if let earlier = seen[draft.appointmentID] {
                    reject("Duplicate of line \(earlier) in this file.", draft.appointmentID)
                    continue
                }
                seen[draft.appointmentID] = record.line
                switch store.enter(draft, source: .upload) {
                case .failure(let duplicate):
                    reject(duplicate.message + ".", draft.appointmentID)
                case .success(let entry):
                    accepted.append(["line": record.line, "appointmentID": entry.appointmentID, "confirmation": entry.confirmation])
                }
            }
        }
        var context = layout(title: "Upload result", user: user, active: "upload")
        context["acceptedCount"] = accepted.count
        context["rejectedCount"] = rejected.count
        context["accepted"] = accepted
        context["rejected"] = rejected
        context["hasAccepted"] = !accepted.isEmpty
        context["hasRejected"] = !rejected.isEmpty
        return .html(templates.render("upload-result", context))
    }

    /// Why an upload could not be read at all.
    struct UploadProblem: Error {
        let message: String
    }

    /// The CSV records of the form's `file` part.
    static func uploadedRecords(_ body: [UInt8], contentType: String) -> Result<[CSVReader.Record], UploadProblem> {
        do {
            let parts = try MultipartFormParser(contentType: contentType).parse(body)
            guard let file = parts.first(where: { $0.name == "file" }), !file.body.isEmpty else {
                return .failure(UploadProblem(message: "Choose a CSV file to upload."))
            }
            return .success(try CSVReader.records(in: file.text))
        } catch let failure as MultipartFormParser.Failure {
            return .failure(UploadProblem(message: failure.description))
        } catch let failure as CSVReader.Failure {
            return .failure(UploadProblem(message: failure.message))
        } catch {
            return .failure(UploadProblem(message: "The upload could not be read: \(error)"))
        }
    }

    // MARK: Layout

    func layout(title: String, user: String, active: String) -> [String: Any] {
        ["title": title, "signedIn": true, "user": user, "active_\(active)": true]
    }
}
