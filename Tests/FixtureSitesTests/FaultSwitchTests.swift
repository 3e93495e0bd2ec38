import Foundation
import Testing
@testable import FixtureSites

@Suite("Fault switches")
struct FaultSwitchTests {
    @Test("error500Every answers every Nth request with an Internal Server Error page")
    func intermittent500() async throws {
        try await withSites { sites, endpoints in
            sites.setFaults(FixtureFaults(error500Every: 3), site: .clinic)
            let client = WebClient(endpoints.clinic)
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(try await client.get("/login").status) }
            #expect(statuses == [200, 200, 500, 200, 200, 500])
            sites.setFaults(FixtureFaults(error500Every: 1), site: .clinic)
            let failed = try await client.get("/lab/frames")
            #expect(failed.status == 500)
            #expect(failed.body.contains("Internal Server Error"))
            #expect(try await client.get("/static/style.css").status == 200)
        }
    }

    @Test("sessionExpiryAfter ends a session after N authenticated requests")
    func sessionExpiry() async throws {
        try await withSites { sites, endpoints in
            sites.setFaults(FixtureFaults(sessionExpiryAfter: 2), site: .clinic)
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            #expect(try await client.get("/appointments").status == 200)
            #expect(try await client.get("/billing").status == 200)
            let expired = try await client.get("/appointments?date=2026-11-20")
            #expect(expired.status == 302)
            #expect(expired.header("Location") == "/login?next=/appointments%3Fdate%3D2026-11-20&expired=1")
            #expect(try await client.get(expired.header("Location") ?? "").body.contains("Your session has expired."))
            #expect(try await client.get("/appointments").status == 302)
        }
    }

    @Test("loginInPlace: an ended session shows the login form at the page's own URL, HTTP 200, no redirect")
    func loginInPlace() async throws {
        try await withSites { sites, endpoints in
            sites.setFaults(FixtureFaults(sessionExpiryAfter: 1, loginInPlace: true), site: .ledger)
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            #expect(try await client.get("/entries/new").status == 200)
            let expired = try await client.get("/entries?key=A-20261120-0001")
            #expect(expired.status == 200)
            #expect(expired.header("Location") == nil)
            #expect(expired.body.contains(#"id="login-form""#))
            #expect(expired.body.contains("Your session has expired."))
            #expect(expired.body.contains(#"name="next" value="/entries?key=A-20261120-0001""#))
            #expect(!expired.body.contains(#"id="entries""#))
            // The session is gone for good: the next page shows the form too, without the notice.
            let missing = try await client.get("/entries/new")
            #expect(missing.status == 200)
            #expect(missing.body.contains(#"id="login-form""#))
            #expect(!missing.body.contains("Your session has expired."))
            // Signing in from the form in place goes back to the page it was shown on.
            let token = expired.csrfToken ?? ""
            let signedIn = try await client.post("/login", form: [
                ("csrf_token", token), ("user", FixtureCredentials.ledgerUser), ("password", FixtureCredentials.ledgerPassword),
                ("next", "/entries?key=A-20261120-0001"),
            ])
            #expect(signedIn.header("Location") == "/entries?key=A-20261120-0001")
        }
    }

    @Test("loginGoesHome: a sign-in lands on the home page, whatever 'next' says")
    func loginGoesHome() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.clinic)
            let first = try await client.get("/login?next=/billing")
            let toNext = try await client.post("/login", form: [
                ("csrf_token", first.csrfToken ?? ""), ("username", FixtureCredentials.clinicUser),
                ("pwd", FixtureCredentials.clinicPassword), ("next", "/billing?date=2026-11-20"),
            ])
            #expect(toNext.header("Location") == "/billing?date=2026-11-20")

            sites.setFaults(FixtureFaults(loginGoesHome: true), site: .clinic)
            let again = WebClient(endpoints.clinic)
            let second = try await again.get("/login?next=/billing")
            let landed = try await again.post("/login", form: [
                ("csrf_token", second.csrfToken ?? ""), ("username", FixtureCredentials.clinicUser),
                ("pwd", FixtureCredentials.clinicPassword), ("next", "/billing?date=2026-11-20"),
            ])
            #expect(landed.status == 302)
            #expect(landed.header("Location") == "/appointments")
        }
    }

    @Test("renamedButton breaks the 'Sign in' and 'Save' selectors")
    func renamedButtons() async throws {
        try await withSites { sites, endpoints in
            sites.setFaults(FixtureFaults(renamedButton: true), site: .clinic)
            let clinic = try await WebClient(endpoints.clinic).get("/login")
            #expect(clinic.body.contains(#"<input type="submit" id="login-go" value="Log in">"#))
            #expect(!clinic.body.contains("Sign in</button>"))

            sites.setFaults(FixtureFaults(renamedButton: true), site: .ledger)
            let ledger = WebClient(endpoints.ledger)
            try await ledger.signIn(site: .ledger)
            let form = try await ledger.get("/entries/new")
            #expect(form.body.contains(#"<input type="submit" id="save-entry" value="Store record">"#))
            #expect(!form.body.contains(#"id="save""#))
        }
    }

    @Test("uploadFails makes the bulk upload answer 500 and enter nothing")
    func uploadFails() async throws {
        try await withSites { sites, endpoints in
            sites.setFaults(FixtureFaults(uploadFails: true), site: .ledger)
            let client = WebClient(endpoints.ledger)
            try await client.signIn(site: .ledger)
            let page = try await client.upload(
                "/upload", filename: "a.csv", content: "appointment_id,patient_id,patient,date,amount\nA-20261120-0001,,Anna,,1\n")
            #expect(page.status == 500)
            #expect(page.body.contains("Internal Server Error"))
            #expect(sites.ledgerEntries.isEmpty)
        }
    }

    @Test("exportDropsRows truncates the CSV export while the list pages still show every appointment")
    func truncatedExport() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let whole = try await client.get("/appointments/export.csv?date=2026-11-20").body
            sites.setFaults(FixtureFaults(exportDropsRows: 2), site: .clinic)
            let truncated = try await client.get("/appointments/export.csv?date=2026-11-20").body
            let lines = { (text: String) in text.split(separator: "\r\n").count }
            #expect(lines(truncated) == lines(whole) - 2)
            #expect(whole.hasPrefix(truncated))
            let listed = sites.generator.day(ClinicDate("2026-11-20")!).appointments.count
            #expect(try await client.get("/appointments?date=2026-11-20").body.contains("of \(listed) appointments"))
        }
    }

    @Test("slowMs delays pages but not the control endpoint")
    func slowPages() async throws {
        try await withSites { sites, endpoints in
            // Behaviour, not speed: the page waits at least the delay; the control endpoint does not wait for it.
            sites.setFaults(FixtureFaults(slowMs: 3000), site: .ledger)
            let client = WebClient(endpoints.ledger)
            let clock = ContinuousClock()
            let slow = try await clock.measure { _ = try await client.get("/login") }
            #expect(slow >= .milliseconds(3000))
            let control = try await clock.measure { _ = try await client.get("/_control/faults") }
            #expect(control < slow)
        }
    }

    @Test("downloadHangs sends the CSV header line, then nothing; stop() still ends it")
    func downloadHangs() async throws {
        let sites = FixtureServer()
        let endpoints = try await sites.start()
        let client = WebClient(endpoints.clinic)
        try await client.signIn(site: .clinic)
        sites.setFaults(FixtureFaults(downloadHangs: true), site: .clinic)
        let cookie = "CLINICSESSID=\(client.cookies["CLINICSESSID"] ?? "")"
        let hanging = try await RawHTTP.get(
            port: endpoints.clinic.port ?? 0, path: "/appointments/export.csv?date=2026-11-20",
            headers: ["Cookie": cookie], window: .seconds(60), until: { $0.contains("status\r\n") }, settle: .seconds(1))
        #expect(hanging.text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(hanging.text.contains(#"attachment; filename="appointments-2026-11-20.csv""#))
        #expect(hanging.text.contains("appointment_id,date,time,patient_id,patient_name,practitioner,type,status\r\n"))
        #expect(!hanging.text.contains("A-20261120-0001"))
        #expect(!hanging.closedByServer)

        // A download still hanging while the servers stop is ended, rather than holding stop() for its 10 minutes.
        async let stillHanging = RawHTTP.get(port: endpoints.clinic.port ?? 0, path: "/lab/never-ending.csv", window: .seconds(120))
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let stopping = await clock.measure { await sites.stop() }
        let ended = try await stillHanging
        // Orders of magnitude, not a timing: left alone the download would hold stop() for 10 minutes.
        #expect(stopping < .seconds(120))
        #expect(ended.text.contains("1,first row"))
        #expect(ended.closedByServer)
    }

    @Test("the control endpoint sets, shows and resets the switches over HTTP")
    func controlEndpoint() async throws {
        try await withSites { sites, endpoints in
            let client = WebClient(endpoints.clinic)
            let set = try await client.post(
                "/_control/faults", body: Data(#"{"error500Every": 4, "renamedButton": true}"#.utf8), contentType: "application/json")
            #expect(set.status == 200)
            #expect(sites.faults(of: .clinic) == FixtureFaults(error500Every: 4, renamedButton: true))
            let shown = try await client.get("/_control/faults")
            #expect(shown.body.contains(#""error500Every":4"#))
            #expect(shown.body.contains(#""renamedButton":true"#))

            let typo = try await client.post("/_control/faults", body: Data(#"{"slowMS": 5}"#.utf8), contentType: "application/json")
            #expect(typo.status == 400)
            #expect(typo.body.contains("Unknown fault"))
            #expect(sites.faults(of: .clinic).error500Every == 4)

            _ = try await client.post("/_control/reset", body: Data(), contentType: "application/json")
            #expect(sites.faults(of: .clinic) == .none)
            #expect(sites.faults(of: .ledger) == .none)
        }
    }
}
