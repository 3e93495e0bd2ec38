import Foundation
import Testing
@testable import FixtureSites

@Suite("Clinic portal: the bench pages bench/run times")
struct BenchPagesTests {
    @Test("/bench/start notes its arrival and leads to the login form, then to the records")
    func startLeadsToLogin() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            let start = try await client.get("/bench/start")
            #expect(start.status == 302)
            #expect(start.header("Location") == "/login?next=%2Fbench%2Frecords")
            let arrivals = try await client.get("/bench/_arrivals")
            let times = try JSONDecoder().decode([Double].self, from: arrivals.data)
            #expect(times.count == 1)
            #expect(abs((times.first ?? 0) - Date().timeIntervalSince1970) < 60)
            #expect(try JSONDecoder().decode([Double].self, from: try await client.get("/bench/_arrivals").data).isEmpty)

            let login = try await client.get("/login?next=%2Fbench%2Frecords")
            #expect(login.body.contains(#"value="/bench/records""#))
        }
    }

    @Test("the records page needs a session and fills its table by script after the delay")
    func recordsPage() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            #expect(try await client.get("/bench/records").status == 302)
            try await client.signIn(site: .clinic)
            let page = try await client.get("/bench/records?delay=250")
            #expect(page.status == 200)
            #expect(page.body.contains(#"<table id="records""#))
            #expect(page.tableRows(id: "records").isEmpty)
            #expect(page.body.contains("var rows = 500;"))
            #expect(page.body.contains("var delay = 250;"))
            #expect(page.body.contains(#"<a id="export" href="/bench/export.csv?rows=500">Export CSV</a>"#))
        }
    }

    @Test("the export holds the records the page's script draws")
    func export() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            let csv = try await client.get("/bench/export.csv?rows=500")
            #expect(csv.status == 200)
            #expect(csv.header("Content-Disposition") == #"attachment; filename="bench-records.csv""#)
            let lines = csv.data.csvDataLines
            #expect(lines.count == 500)
            #expect(lines.first == "R-100001,Patient 1,2003-06-02,1.25,paid")
            #expect(lines.last == "R-100500,Patient 500,2003-06-25,625.00,open")
        }
    }

    @Test("an upload is confirmed with its name, rows, size and a receipt")
    func upload() async throws {
        try await withSites { _, endpoints in
            let client = WebClient(endpoints.clinic)
            try await client.signIn(site: .clinic)
            #expect(try await client.get("/bench/upload").body.contains(#"<input type="file" name="file" id="file""#))
            let content = BenchRoutes.csv(rows: 3)
            let first = try await client.upload("/bench/upload", filename: "bench-records.csv", content: content)
            #expect(first.status == 200)
            #expect(first.body.contains(#"<p id="confirmation">Received bench-records.csv: 3 rows, \#(content.utf8.count) bytes (receipt R-000001)</p>"#))
            let second = try await client.upload("/bench/upload", filename: "other.csv", content: "a\nb\n")
            #expect(second.body.contains("Received other.csv: 1 rows, 4 bytes (receipt R-000002)"))
            let empty = try await client.upload("/bench/upload", filename: "", content: "")
            #expect(empty.status == 400)
            #expect(empty.body.contains(#"id="upload-error""#))
        }
    }
}
