import Foundation
import Testing
@testable import FixtureSites

@Suite("Clinic portal: appointments, exports and billing")
struct ClinicDataTests {
    @Test("the pages together list exactly the rows of the CSV export, 50 a page")
    func paginationMatchesExport() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let export = try await client.get("/appointments/export.csv?date=\(Dates.weekday)")
            let csvIDs = export.data.csvDataLines.map { String($0.prefix { $0 != "," }) }

            var listedIDs: [String] = []
            var path: String? = "/appointments?date=\(Dates.weekday)"
            var pages = 0
            while let current = path {
                let page = try await client.get(current)
                #expect(page.status == 200)
                let rows = page.tableRows(id: "appointments")
                #expect(rows.count <= 50)
                #expect(rows.allSatisfy { $0.count == 8 })
                listedIDs += rows.map { $0[0] }
                pages += 1
                path = page.firstMatch(#"<a class="next" rel="next" href="([^"]+)">"#)?
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
            #expect(listedIDs == csvIDs)
            #expect(pages == (csvIDs.count + 49) / 50)

            let first = try await client.get("/appointments?date=\(Dates.weekday)")
            #expect(first.body.contains(#"<p id="summary">Showing 1–50 of \#(csvIDs.count) appointments</p>"#))
            #expect(first.body.contains(#"<a id="export" href="/appointments/export.csv?date=2026-11-20">Export CSV</a>"#))
            #expect(first.body.contains("<th>Appointment ID</th><th>Date</th><th>Time</th><th>Patient ID</th><th>Patient</th><th>Practitioner</th><th>Type</th><th>Status</th>"))
        }
    }

    @Test("the CSV export is an attachment with the documented header")
    func exportIsAttachment() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let export = try await client.get("/appointments/export.csv?date=\(Dates.weekday)")
            #expect(export.status == 200)
            #expect(export.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(export.header("Content-Disposition") == #"attachment; filename="appointments-2026-11-20.csv""#)
            #expect(export.body.hasPrefix("appointment_id,date,time,patient_id,patient_name,practitioner,type,status\r\n"))
        }
    }

    @Test("the same seed and date give the same bytes; another seed gives other data")
    func dataIsDeterministic() async throws {
        func export(seed: UInt64) async throws -> Data {
            try await withSites(seed: seed) { _, endpoints in
                let client = WebClient(endpoints.clinic)
                try await client.signIn(site: .clinic)
                return try await client.get("/appointments/export.csv?date=\(Dates.weekday)").data
            }
        }
        let first = try await export(seed: 42)
        let again = try await export(seed: 42)
        let other = try await export(seed: 7)
        #expect(first == again)
        #expect(first != other)
        #expect(AppointmentGenerator(seed: 42).day(Dates.sunday) == AppointmentGenerator(seed: 42).day(Dates.sunday))
    }

    @Test("weekdays have 120–160 appointments, weekends 20–40 (plus the planted copy)")
    func appointmentCounts() {
        let generator = AppointmentGenerator(seed: 42)
        for offset in 0..<28 {
            let date = Dates.weekday.adding(days: offset)
            let count = generator.day(date).appointments.count - 1
            #expect((date.isWeekend ? 20...40 : 120...160).contains(count), "\(date): \(count)")
        }
    }

    @Test("every date carries an unknown patient, a duplicate and a missing amount")
    func plantedRecordsExistForEveryDate() {
        let generator = AppointmentGenerator(seed: 42)
        for offset in -40..<40 {
            let day = generator.day(Dates.weekday.adding(days: offset))
            let unknown = day.appointments.filter { PatientRegistry.standard.patient(id: $0.patientID) == nil }
            #expect(unknown.map(\.id) == [day.flagged.unknownPatientAppointmentID])
            #expect(unknown.first?.patientID == "P-99999")

            let pair = day.appointments.filter { day.flagged.duplicateAppointmentIDs.contains($0.id) }
            #expect(pair.count == 2)
            #expect(pair.first?.patientID == pair.last?.patientID && pair.first?.time == pair.last?.time)
            let clashes = Dictionary(grouping: day.appointments) { "\($0.patientID) \($0.time)" }.values.filter { $0.count > 1 }
            #expect(clashes.map { $0.map(\.id) } == [day.flagged.duplicateAppointmentIDs])

            let missing = day.billingLines.filter { $0.amountCents == nil }
            #expect(missing.map(\.invoice) == [day.flagged.missingAmountInvoice])
            #expect(day.billingLines.compactMap(\.amountCents).allSatisfy { (4500...32000).contains($0) })
        }
    }

    @Test("the planted records show in the export and the billing report")
    func plantedRecordsOverHTTP() async throws {
        try await withSites { sites, endpoints in
            let day = sites.generator.day(Dates.weekday)
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let csv = try await client.get("/appointments/export.csv?date=\(Dates.weekday)").body
            #expect(csv.contains("\(day.flagged.unknownPatientAppointmentID),2026-11-20,"))
            #expect(csv.contains(",P-99999,"))
            for id in day.flagged.duplicateAppointmentIDs { #expect(csv.contains(id + ",")) }

            let billing = try await client.get("/billing?date=\(Dates.weekday)")
            let rows = billing.tableRows(id: "billing")
            #expect(rows.count == day.billingLines.count)
            #expect(rows.first { $0[0] == day.flagged.missingAmountInvoice }?.last == "")
        }
    }

    @Test("the billing XML total is the sum of its line amounts, as is the report's footer")
    func billingTotals() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let xml = try await client.get("/billing/export.xml?date=\(Dates.weekday)")
            #expect(xml.header("Content-Disposition") == #"attachment; filename="billing-2026-11-20.xml""#)
            let amounts = xml.allMatches(#"<amount currency="EUR">([0-9.]*)</amount>"#)
            #expect(amounts.contains(""))
            let sum = amounts.compactMap { Money.parseCents($0) }.reduce(0, +)
            let total = try #require(xml.firstMatch(#"<total currency="EUR">([0-9.]+)</total>"#))
            #expect(Money.parseCents(total) == sum)
            #expect(xml.allMatches(#"<line (invoice)="#).count == amounts.count)

            let report = try await client.get("/billing?date=\(Dates.weekday)")
            #expect(report.firstMatch(#"<td class="amount" id="billing-total">([0-9.]+)</td>"#) == total)
            #expect(report.body.contains(#"<a id="billing-export" href="/billing/export.xml?date=2026-11-20">Download billing report</a>"#))
        }
    }

    @Test("the patients page lists the whole registry, without the planted unknown patient")
    func patientRegistry() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let page = try await client.get("/patients")
            #expect(page.status == 200)
            #expect(page.body.contains("300 registered patients"))
            #expect(page.allMatches(#"<td>(P-\d+)</td>"#).count == 300)
            #expect(page.body.contains("<td>P-10001</td>"))
            #expect(!page.body.contains(PatientRegistry.unknownPatientID))
            #expect(page.body.contains("<td>Robert Hale, Jr.</td>"))
        }
    }

    @Test("a date that is not a date is answered with 400 and a message")
    func invalidDate() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let page = try await client.get("/appointments?date=2026-02-30")
            #expect(page.status == 400)
            #expect(page.body.contains("is not a date"))
            #expect(try await client.get("/appointments/export.csv?date=yesterday").status == 400)
        }
    }
}
