import Hummingbird

/// The clinic portal, Ferry's source system: a 2003-era appointments and billing site.
///
/// Routes (all pages but `/login`, `/lab/`, `/static/` and `/_control/` need a session):
/// - `GET /login`, `POST /login`, `GET /logout`
/// - `GET /appointments?date=YYYY-MM-DD&page=N` (50 rows a page)
/// - `GET /appointments/export.csv?date=`
/// - `GET /patients`: the patient registry, one page
/// - `GET /billing?date=`, `GET /billing/export.xml?date=`
/// - `/lab/...`: pages for testing the WebDriver client (see ``ClinicLabRoutes``)
/// - `/bench/...`: the mini daily sync `bench/run` times (see ``BenchRoutes``)
/// - `/_control/faults`, `/_control/reset` (see ``ControlRoutes``)
struct ClinicSite: Sendable {
    let templates: SiteTemplates
    let auth: SiteAuth
    let faults: FaultSwitches
    let generator: AppointmentGenerator
    let shutdown: ShutdownSignal

    static let pageSize = 50

    static let requiredTemplates = [
        "header", "footer", "login", "appointments", "billing", "patients", "error",
    ] + ClinicLabRoutes.templates + BenchRoutes.templates

    func makeRouter() -> Router<BasicRequestContext> {
        let router = SiteRoutes(
            templates: templates, auth: auth, faults: faults, userField: "username", passwordField: "pwd",
            home: "/appointments", reset: {}
        ).makeRouter()
        router.get("/appointments") { request, _ in
            try await auth.require(request) { user in appointmentsPage(request, user: user) }
        }
        router.get("/appointments/export.csv") { request, _ in
            try await auth.require(request) { _ in export(request) { appointmentsExport(request, date: $0) } }
        }
        router.get("/patients") { request, _ in
            try await auth.require(request) { user in patientsPage(user: user) }
        }
        router.get("/billing") { request, _ in
            try await auth.require(request) { user in billingPage(request, user: user) }
        }
        router.get("/billing/export.xml") { request, _ in
            try await auth.require(request) { _ in export(request) { billingExport(date: $0) } }
        }
        ClinicLabRoutes(templates: templates, shutdown: shutdown).add(to: router)
        BenchRoutes(templates: templates, auth: auth).add(to: router)
        return router
    }

    // MARK: Appointments

    /// The requested date: `date=` when given, today otherwise; `nil` when `date=` is not a date.
    private func requestedDate(_ request: Request) -> (date: ClinicDate?, text: String) {
        let text = request.queryFields["date"]?.trimmingSpaces ?? ""
        if text.isEmpty {
            let today = ClinicDate.today()
            return (today, today.description)
        }
        return (ClinicDate(text), text)
    }

    private func invalidDate(_ text: String) -> String {
        "\"\(text)\" is not a date. Please enter it as YYYY-MM-DD, e.g. \(ClinicDate.today())."
    }

    private func appointmentsPage(_ request: Request, user: String) -> Response {
        var context = layout(title: "Appointments", user: user, active: "appointments")
        let (date, text) = requestedDate(request)
        context["date"] = text
        guard let date else {
            context["error"] = invalidDate(text)
            return .html(templates.render("appointments", context), status: .badRequest)
        }
        let appointments = generator.day(date).appointments
        let pageCount = max(1, (appointments.count + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(Int(request.queryFields["page"] ?? "") ?? 1, 1), pageCount)
        let first = (page - 1) * Self.pageSize
        let rows = appointments[first..<min(first + Self.pageSize, appointments.count)]
        func href(_ page: Int) -> String { "/appointments?date=\(date)&page=\(page)" }

        context["hasList"] = true
        context["first"] = rows.isEmpty ? 0 : first + 1
        context["last"] = first + rows.count
        context["total"] = appointments.count
        context["rows"] = rows.enumerated().map { offset, appointment -> [String: Any] in
            [
                "id": appointment.id, "date": appointment.date.description, "time": appointment.time,
                "patientID": appointment.patientID, "patient": appointment.patientName,
                "practitioner": appointment.practitioner, "type": appointment.type,
                "status": appointment.status.rawValue, "rowClass": offset % 2 == 0 ? "odd" : "even",
            ]
        }
        context["pages"] = (1...pageCount).map { number -> [String: Any] in
            ["number": number, "href": href(number), "current": number == page]
        }
        if page > 1 { context["previous"] = ["href": href(page - 1)] }
        if page < pageCount { context["next"] = ["href": href(page + 1)] }
        context["exportHref"] = "/appointments/export.csv?date=\(date)"
        return .html(templates.render("appointments", context))
    }

    /// Runs `export` for the requested date, or answers 400 when it is not a date.
    private func export(_ request: Request, _ export: (ClinicDate) -> Response) -> Response {
        let (date, text) = requestedDate(request)
        guard let date else {
            return ErrorPageMiddleware<BasicRequestContext>.page(templates, status: .badRequest, detail: invalidDate(text))
        }
        return export(date)
    }

    private func appointmentsExport(_ request: Request, date: ClinicDate) -> Response {
        let header = CSVWriter.line(Appointment.csvHeader)
        let filename = "appointments-\(date).csv"
        let contentType = "text/csv; charset=utf-8"
        if faults.current.downloadHangs {
            return .attachment(
                filename: filename, contentType: contentType,
                body: HangingBody.make(prefix: header, request: request, shutdown: shutdown))
        }
        let appointments = generator.day(date).appointments.dropLast(faults.current.exportDropsRows ?? 0)
        let csv = appointments.reduce(into: header) { $0 += CSVWriter.line($1.csvFields) }
        return .attachment(filename: filename, contentType: contentType, body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
    }

    // MARK: Patients

    /// The whole registry on one page, as the clinic's "Patients" screen shows it.
    private func patientsPage(user: String) -> Response {
        var context = layout(title: "Patients", user: user, active: "patients")
        let patients = PatientRegistry.standard.patients
        context["count"] = patients.count
        context["rows"] = patients.enumerated().map { offset, patient -> [String: Any] in
            ["id": patient.id, "name": patient.name, "rowClass": offset % 2 == 0 ? "odd" : "even"]
        }
        return .html(templates.render("patients", context))
    }

    // MARK: Billing

    private func billingPage(_ request: Request, user: String) -> Response {
        var context = layout(title: "Billing report", user: user, active: "billing")
        let (date, text) = requestedDate(request)
        context["date"] = text
        guard let date else {
            context["error"] = invalidDate(text)
            return .html(templates.render("billing", context), status: .badRequest)
        }
        let day = generator.day(date)
        context["hasReport"] = true
        context["lines"] = day.billingLines.enumerated().map { offset, line -> [String: Any] in
            [
                "invoice": line.invoice, "appointmentID": line.appointmentID, "patientID": line.patientID,
                "code": line.code, "description": line.description, "amount": line.amountText,
                "rowClass": (offset % 2 == 0 ? "odd" : "even") + (line.amountCents == nil ? " missing" : ""),
            ]
        }
        context["lineCount"] = day.billingLines.count
        context["total"] = Money.format(day.billingTotalCents)
        context["exportHref"] = "/billing/export.xml?date=\(date)"
        return .html(templates.render("billing", context))
    }

    private func billingExport(date: ClinicDate) -> Response {
        let day = generator.day(date)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<billing date=\"\(date)\" currency=\"EUR\" lines=\"\(day.billingLines.count)\">\n"
        for line in day.billingLines {
            xml += "  <line invoice=\"\(line.invoice.xmlEscaped)\" appointment_id=\"\(line.appointmentID.xmlEscaped)\">\n"
            xml += "    <patient_id>\(line.patientID.xmlEscaped)</patient_id>\n"
            xml += "    <patient_name>\(line.patientName.xmlEscaped)</patient_name>\n"
            xml += "    <code>\(line.code.xmlEscaped)</code>\n"
            xml += "    <description>\(line.description.xmlEscaped)</description>\n"
            xml += "    <amount currency=\"EUR\">\(line.amountText)</amount>\n"
            xml += "  </line>\n"
        }
        xml += "  <total currency=\"EUR\">\(Money.format(day.billingTotalCents))</total>\n"
        xml += "</billing>\n"
        return .attachment(
            filename: "billing-\(date).xml", contentType: "application/xml; charset=utf-8",
            body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    // MARK: Layout

    /// The values the header partial needs on a signed-in page.
    private func layout(title: String, user: String, active: String) -> [String: Any] {
        ["title": title, "signedIn": true, "user": user, "active_\(active)": true]
    }
}
