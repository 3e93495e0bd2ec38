import Foundation
import Hummingbird
import Synchronization

/// The pages of the mini daily sync that `bench/run` times in Ferry, Selenium and Playwright
/// alike. Sign-in is the clinic's own (`/login?next=/bench/records`); every page here needs its session.
///
/// - `GET /bench/start`: notes when it was asked (the first navigation of a contender), then `302` to
///   `/login?next=/bench/records`. `GET /bench/_arrivals` lists those times (Unix seconds, JSON) and forgets them.
/// - `GET /bench/records?rows=500&delay=300`: `table#records` (Record ID, Patient, Date, Amount,
///   Status) arrives empty and a script fills it `delay` ms after the page loads, then `#records-status`
///   says "Loaded 500 records"; `a#export` "Export CSV", `a#to-upload`.
/// - `GET /bench/export.csv?rows=500`: the same records as a CSV attachment `bench-records.csv`.
/// - `GET /bench/upload`: a multipart form, `input#file` (`name=file`), `button#upload-submit`.
/// - `POST /bench/upload`: `p#confirmation` "Received bench-records.csv: 500 rows, 20000 bytes (receipt
///   R-000001)" (rows are the file's non-empty lines after the header), or `p#upload-error`.
struct BenchRoutes: Sendable {
    let templates: SiteTemplates
    let auth: SiteAuth
    private let receipts = ReceiptCounter()
    private let arrivals = ArrivalLog()

    init(templates: SiteTemplates, auth: SiteAuth) {
        self.templates = templates
        self.auth = auth
    }

    static let templates = ["bench/records", "bench/upload", "bench/confirmation"]

    static let defaultRows = 500
    static let defaultDelay = 300

    func add(to router: Router<BasicRequestContext>) {
        router.get("/bench/start") { _, _ in
            arrivals.note()
            return Response.redirect(to: "/login?next=%2Fbench%2Frecords")
        }
        router.get("/bench/_arrivals") { _, _ in
            Response.text("[" + arrivals.drain().map { String(format: "%.6f", $0) }.joined(separator: ",") + "]", contentType: "application/json")
        }
        router.get("/bench/records") { request, _ in
            try await auth.require(request) { user in
                let rows = Self.rows(request)
                let delay = min(max(Int(request.queryFields["delay"] ?? "") ?? Self.defaultDelay, 0), 60_000)
                return page("records", user: user, title: "Records", [
                    "rows": rows, "delay": delay, "exportHref": "/bench/export.csv?rows=\(rows)",
                ])
            }
        }
        router.get("/bench/export.csv") { request, _ in
            try await auth.require(request) { _ in
                .attachment(
                    filename: "bench-records.csv", contentType: "text/csv; charset=utf-8",
                    body: ResponseBody(byteBuffer: ByteBuffer(string: Self.csv(rows: Self.rows(request)))))
            }
        }
        router.get("/bench/upload") { request, _ in
            try await auth.require(request) { user in page("upload", user: user, title: "Upload records") }
        }
        router.post("/bench/upload") { request, _ in
            try await auth.require(request) { user in try await upload(request, user: user) }
        }
    }

    /// The records the page's script draws, as CSV (CRLF lines, a header).
    static func csv(rows: Int) -> String {
        let statuses = ["open", "paid", "overdue", "void"]
        var text = "record_id,patient,date,amount,status\r\n"
        for i in stride(from: 1, through: rows, by: 1) {
            let day = 1 + i % 28
            let cents = i * 125
            let amount = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            text += "R-\(100_000 + i),Patient \(i),2003-06-\(day < 10 ? "0" : "")\(day),\(amount),\(statuses[i % 4])\r\n"
        }
        return text
    }

    private static func rows(_ request: Request) -> Int {
        min(max(Int(request.queryFields["rows"] ?? "") ?? defaultRows, 0), 20_000)
    }

    private func upload(_ request: Request, user: String) async throws -> Response {
        do {
            let parser = try MultipartFormParser(contentType: request.contentType)
            let parts = try parser.parse(try await request.bodyBytes(limit: 8 * 1024 * 1024))
            guard let file = parts.first(where: { $0.name == "file" }), let filename = file.filename, !filename.isEmpty else {
                return page("confirmation", user: user, title: "Upload failed", ["error": "Choose a file to upload."], status: .badRequest)
            }
            let lines = file.text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .filter { !$0.allSatisfy { $0 == "\r" || $0 == " " } }
            return page("confirmation", user: user, title: "Upload received", [
                "filename": filename, "rows": max(0, lines.count - 1), "bytes": file.body.count,
                "receipt": receipts.next(),
            ])
        } catch let failure as MultipartFormParser.Failure {
            return page("confirmation", user: user, title: "Upload failed", ["error": failure.description], status: .badRequest)
        }
    }

    private func page(
        _ name: String, user: String, title: String, _ extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = extra
        context["title"] = title
        context["signedIn"] = true
        context["user"] = user
        return .html(templates.render("bench/\(name)", context), status: status)
    }
}

/// When `/bench/start` was asked, as Unix times, until read.
private final class ArrivalLog: Sendable {
    private let times = Mutex<[Double]>([])

    func note() {
        let now = Date().timeIntervalSince1970
        times.withLock { $0.append(now) }
    }

    func drain() -> [Double] {
        times.withLock { times in
            defer { times = [] }
            return times
        }
    }
}

/// Numbers upload receipts `R-000001`, `R-000002`, ... for the life of the process.
private final class ReceiptCounter: Sendable {
    private let last = Mutex(0)

    func next() -> String {
        let number = last.withLock { value -> Int in
            value += 1
            return value
        }
        let digits = String(number)
        return "R-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
