import Foundation
import Testing
@testable import FixtureSites

@Suite("Ledger: entry form, bulk upload and entries")
struct LedgerTests {
    private func entry(_ id: String, amount: String = "123.40", patient: String = "Anna Weber") -> [(String, String)] {
        [
            ("appointment_id", id), ("patient_id", "P-10001"), ("patient", patient), ("date", "2026-11-20"),
            ("amount", amount), ("notes", ""),
        ]
    }

    @Test("signing in needs the CSRF token; the entry form has every field")
    func signInAndForm() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.ledger)
            let refused = try await client.post("/login", form: [("csrf_token", "x"), ("user", "ops"), ("password", FixtureCredentials.ledgerPassword)])
            #expect(refused.status == 403)
            let wrong = try await client.signIn(site: .ledger, password: "nope")
            #expect(wrong.body.contains("Invalid user name or password."))
            let answer = try await client.signIn(site: .ledger)
            #expect(answer.status == 302)
            #expect(client.cookies["LEDGERSESSION"] != nil)

            let form = try await client.get("/entries/new")
            for id in ["appointment_id", "patient_id", "patient", "date", "amount", "notes"] {
                #expect(form.body.contains(#"id="\#(id)""#), "missing #\(id)")
            }
            #expect(form.body.contains(#"<button id="save" type="submit">Save</button>"#))
            #expect(form.body.contains(#"<a class="logout" href="/logout">"#))
            #expect(form.body.contains("Signed in as <b>ops</b>"))
        }
    }

    @Test("entries get sequential confirmations and a duplicate is refused with 409")
    func sequentialConfirmationsAndDuplicates() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            let first = try await client.post("/entries", form: entry("A-20261120-0001"))
            #expect(first.body.contains(#"<p id="confirmation">Saved entry L-000001</p>"#))
            let second = try await client.post("/entries", form: entry("A-20261120-0002"))
            #expect(second.body.contains(#"<p id="confirmation">Saved entry L-000002</p>"#))

            let duplicate = try await client.post("/entries", form: entry("A-20261120-0001"))
            #expect(duplicate.status == 409)
            #expect(duplicate.body.contains("Duplicate: appointment A-20261120-0001 was already entered as L-000001"))
            #expect(duplicate.body.contains(#"value="A-20261120-0001""#))
        }
    }

    @Test("with a ledger file, entries outlive the server: a second one finds them, numbers on and refuses their duplicates")
    func entriesKeptInAFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("ferry-demo-ledger.json").path

        let first = FixtureServer(FixtureConfiguration(ledgerFile: file))
        let firstClient = WebClient(try await first.start().ledger)
        try await firstClient.signIn(site: .ledger)
        _ = try await firstClient.post("/entries", form: entry("A-20261120-0001"))
        await first.stop()

        let second = FixtureServer(FixtureConfiguration(ledgerFile: file))
        let client = WebClient(try await second.start().ledger)
        try await client.signIn(site: .ledger)
        #expect(second.ledgerEntries.map(\.appointmentID) == ["A-20261120-0001"])
        let duplicate = try await client.post("/entries", form: entry("A-20261120-0001"))
        #expect(duplicate.status == 409)
        let next = try await client.post("/entries", form: entry("A-20261120-0002"))
        #expect(next.body.contains(#"<p id="confirmation">Saved entry L-000002</p>"#))
        await second.stop()

        // Without a file, the ledger starts empty as before.
        try await withSites { sites, _ in #expect(sites.ledgerEntries.isEmpty) }
    }

    @Test("a ledger file that is not a ledger stops the start, naming the file and what to do")
    func unreadableLedgerFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-ledger-\(UUID().uuidString).json").path
        try Data("not json".utf8).write(to: URL(fileURLWithPath: file))
        let sites = FixtureServer(FixtureConfiguration(ledgerFile: file))
        let error = await #expect(throws: FixtureError.self) { try await sites.start() }
        #expect(error?.code == .ledgerFileUnreadable)
        #expect(error?.message.contains(file) == true)
        #expect(error?.message.contains("move it away") == true)
        await sites.stop()
    }

    @Test("invalid fields are listed in ul.errors and nothing is entered")
    func validation() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            let page = try await client.post("/entries", form: [("appointment_id", "20261120-1"), ("patient", ""), ("amount", "12,50")])
            #expect(page.status == 422)
            let errors = page.allMatches(#"<li>(.*?)</li>"#)
            #expect(errors.count == 3)
            #expect(page.body.contains(#"<ul class="errors">"#))
            #expect(errors.contains("Patient is required."))
            #expect(sites.ledgerEntries.isEmpty)
        }
    }

    @Test("the bulk upload enters good rows and lists bad ones with their line numbers")
    func bulkUpload() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            _ = try await client.post("/entries", form: entry("A-20261120-0009"))
            let csv = """
                appointment_id,patient_id,patient,date,amount\r
                A-20261120-0001,P-10001,Anna Weber,2026-11-20,45.00\r
                A-20261120-0002,P-10002,"Hale, Robert",2026-11-20,120.5\r
                A-20261120-0003,P-10003,Ben Koch,2026-11-20,\r
                A-20261120-0001,P-10001,Anna Weber,2026-11-20,45.00\r
                A-20261120-0009,P-10009,Clara Wolf,2026-11-20,60.00\r
                bad-id,P-10010,Dora Roth,2026-11-20,1.00\r
                A-20261120-0004,P-10004\r

                """
            let page = try await client.upload("/upload", filename: "entries.csv", content: csv)
            #expect(page.status == 200)
            #expect(page.body.contains(#"<p id="upload-result">Accepted 2 rows, rejected 5</p>"#))
            let rejected = page.tableRows(id: "rejected")
            #expect(rejected.map { $0[0] } == ["4", "5", "6", "7", "8"])
            #expect(rejected[0][2] == "Amount is required.")
            #expect(rejected[1][2] == "Duplicate of line 2 in this file.")
            #expect(rejected[2][2] == "Duplicate: appointment A-20261120-0009 was already entered as L-000001.")
            #expect(rejected[3][2].contains("must look like A-20261122-0001"))
            #expect(rejected[4][2] == "Line 8 has 2 fields; expected 5.")
            #expect(page.tableRows(id: "accepted").map { $0[2] } == ["L-000002", "L-000003"])

            let listed = try await client.get("/entries?key=A-20261120-0002")
            let rows = listed.tableRows(id: "entries")
            #expect(rows.count == 1)
            #expect(rows.first?[3] == "Hale, Robert")
            #expect(rows.first?[5] == "120.50")
            #expect(rows.first?[6] == "upload")
            #expect(try await client.get("/entries").tableRows(id: "entries").count == 3)
        }
    }

    @Test("a file with the wrong header is refused as a whole")
    func wrongHeader() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            let page = try await client.upload("/upload", filename: "x.csv", content: "id,amount\r\nA-20261120-0001,1.00\r\n")
            #expect(page.status == 400)
            #expect(page.body.contains("The first line must be the header appointment_id,patient_id,patient,date,amount."))
            #expect(sites.ledgerEntries.isEmpty)
        }
    }

    @Test("/api/entries reflects form and upload entries; reset clears them")
    func apiAndReset() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            _ = try await client.post("/entries", form: entry("A-20261120-0007", amount: "99.9"))
            _ = try await client.upload("/upload", filename: "a.csv", content: "appointment_id,patient_id,patient,date,amount\nA-20261120-0008,,Uwe Lange,,10\n")

            let anonymous = WebClient(endpoints.ledger)
            let api = try await anonymous.get("/api/entries")
            #expect(api.header("Content-Type")?.hasPrefix("application/json") == true)
            let entries = try JSONSerialization.jsonObject(with: api.data) as? [[String: Any]] ?? []
            #expect(entries.count == 2)
            #expect(entries.first?["confirmation"] as? String == "L-000001")
            #expect(entries.first?["appointment_id"] as? String == "A-20261120-0007")
            #expect(entries.first?["amount_cents"] as? Int == 9990)
            #expect(entries.first?["source"] as? String == "form")
            #expect(entries.last?["source"] as? String == "upload")
            #expect(sites.ledgerEntries.map(\.confirmation) == ["L-000001", "L-000002"])

            let reset = try await anonymous.post("/_control/reset", body: Data(), contentType: "application/json")
            #expect(reset.status == 200)
            #expect(try await anonymous.get("/api/entries").body == "[]")
            let again = try await client.post("/entries", form: entry("A-20261120-0007"))
            #expect(again.body.contains("Saved entry L-000001"))
        }
    }
}
