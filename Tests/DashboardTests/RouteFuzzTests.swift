import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("No request crashes the server: every number taken from a request is clamped")
struct RouteFuzzTests {
    /// Numbers and not-quite-numbers that overflow, underflow or fail to parse.
    static let values = [
        "9223372036854775807", "9223372036854775806", "-9223372036854775808", "92233720368547758070", "-1", "0", "1", "2", "+5",
        "99999999999999999999999999", "1e9", "0x10", "", "%00", "%FF", "NaN", "1.5", "٣", "１２",
    ]

    @Test("every route's parameters, fuzzed: never a crash, never a 500")
    func fuzz() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let session = try await client.signIn("ada")
            for value in Self.values {
                let v = value.hasPrefix("%") ? value : DashboardClient.encode(value)
                let paths = [
                    "/activity?page=\(v)", "/activity?kind=runs&page=\(v)", "/activity?kind=items&state=new&page=\(v)",
                    "/activity?kind=runs&state=failed&flow=x&q=y&page=\(v)", "/items/\(v)", "/runs/\(v)", "/artifacts/\(v)",
                    "/?page=\(v)", "/exceptions?page=\(v)", "/users?page=\(v)", "/trigger?page=\(v)", "/metrics?page=\(v)",
                ]
                for path in paths {
                    let page = try await client.get(path, cookie: session.cookie)
                    #expect(page.status != .internalServerError, "\(path)")
                }
                for action in ["retry", "mark-done", "escalate", "override"] {
                    let page = try await client.post("/items/\(v)/\(action)", [("csrf", session.csrf), ("reason", "fuzz"), ("field.amount", value)],
                                                     cookie: session.cookie)
                    #expect(page.status != .internalServerError, "/items/\(v)/\(action)")
                }
            }
            // Still answering after all of it.
            #expect(try await client.get("/", cookie: session.cookie).status == .ok)
        }
    }

    @Test("the last page of a huge page number is the last page there is")
    func hugePage() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.test { client async throws in
            let session = try await client.signIn("victor")
            let page = try await client.get("/activity?kind=runs&page=9223372036854775807", cookie: session.cookie)
            #expect(page.status == .ok)
            let items = try await client.get("/activity?page=9223372036854775807", cookie: session.cookie)
            #expect(items.status == .ok)
        }
    }
}
