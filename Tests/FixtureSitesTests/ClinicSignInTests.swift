import Foundation
import Testing
@testable import FixtureSites

@Suite("Clinic portal: signing in")
struct ClinicSignInTests {
    @Test("the login form carries a CSRF token bound to a pre-session cookie")
    func loginFormHasTokenAndFields() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let page = try await client.get("/login")
            #expect(page.status == 200)
            #expect(page.csrfToken?.count == 32)
            #expect(client.cookies["CLINICPRESESS"] != nil)
            #expect(page.body.contains(#"id="username" name="username""#))
            #expect(page.body.contains(#"name="pwd""#))
            #expect(page.body.contains(#"<button type="submit">Sign in</button>"#))
        }
    }

    @Test("the right token and password give an HttpOnly session and the appointments")
    func signInOpensAppointments() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let answer = try await client.signIn(site: .clinic)
            #expect(answer.status == 302)
            #expect(answer.header("Location") == "/appointments")
            #expect(client.cookies["CLINICSESSID"] != nil)
            #expect(client.cookieAttributes["CLINICSESSID"]?.contains("HttpOnly") == true)

            let page = try await client.get("/appointments")
            #expect(page.status == 200)
            #expect(page.body.contains("Signed in as <b>clerk</b>"))
            #expect(page.body.contains(#"<a class="logout" href="/logout">Log out</a>"#))
            #expect(page.body.contains(#"<a href="/billing""#))
        }
    }

    @Test("a wrong password shows the login page again with a message")
    func wrongPasswordIsRefused() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let page = try await client.signIn(site: .clinic, password: "guess")
            #expect(page.status == 200)
            #expect(page.body.contains("Invalid user name or password."))
            #expect(page.csrfToken != nil)
            #expect(client.cookies["CLINICSESSID"] == nil)
        }
    }

    @Test("a forged token, or a token without its cookie, is refused with 403")
    func wrongTokenIsRefused() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            _ = try await client.get("/login")
            let forged = try await client.post("/login", form: [
                ("csrf_token", "forged"), ("username", "clerk"), ("pwd", FixtureCredentials.clinicPassword),
            ])
            #expect(forged.status == 403)
            #expect(client.cookies["CLINICSESSID"] == nil)

            let token = try await client.get("/login").csrfToken ?? ""
            let stranger = WebClient(endpoints.clinic)
            let replayed = try await stranger.post("/login", form: [
                ("csrf_token", token), ("username", "clerk"), ("pwd", FixtureCredentials.clinicPassword),
            ])
            #expect(replayed.status == 403)
            #expect(stranger.cookies["CLINICSESSID"] == nil)
        }
    }

    @Test("a page without a session redirects to the login page and back after signing in")
    func protectedPagesRedirect() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            for path in ["/appointments", "/billing", "/appointments/export.csv", "/billing/export.xml"] {
                let page = try await client.get(path)
                #expect(page.status == 302)
                #expect(page.header("Location")?.hasPrefix("/login?next=") == true)
            }
            let redirect = try await client.get("/billing?date=2026-11-20")
            let next = try #require(redirect.header("Location"))
            #expect(next == "/login?next=/billing%3Fdate%3D2026-11-20")

            let form = try await client.get(next)
            #expect(form.body.contains(#"name="next" value="/billing?date=2026-11-20""#))
            let answer = try await client.post("/login", form: [
                ("csrf_token", form.csrfToken ?? ""), ("username", "clerk"),
                ("pwd", FixtureCredentials.clinicPassword), ("next", "/billing?date=2026-11-20"),
            ])
            #expect(answer.header("Location") == "/billing?date=2026-11-20")
        }
    }

    @Test("logging out ends the session")
    func logoutEndsSession() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let sessionID = try #require(client.cookies["CLINICSESSID"])
            let page = try await client.get("/logout")
            #expect(page.status == 200)
            #expect(page.body.contains("You have been signed out."))
            #expect(client.cookies["CLINICSESSID"] == nil)

            let old = try await rawGet(endpoints.clinic, "/appointments", cookie: "CLINICSESSID=\(sessionID)")
            #expect(old.text.hasPrefix("HTTP/1.1 302"))
        }
    }

    private func rawGet(_ base: URL, _ path: String, cookie: String) async throws -> RawHTTP.Result {
        try await RawHTTP.get(port: base.port ?? 0, path: path, headers: ["Cookie": cookie, "Connection": "close"], window: .seconds(5))
    }
}
