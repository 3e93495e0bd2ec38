import Dashboard
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Operators
import Store
import Synchronization
import Testing

/// A dashboard on a fresh store with three users, one run whose items are in every state (one with a
/// hostile payload), artifacts inside and outside the run's folders, and a launcher that records.
struct DashboardHarness {
    let folder: String
    let store: SQLiteRunStore
    let dashboard: Dashboard
    let launcher: RecordingLauncher
    /// Item ids by key.
    let items: [String: Int64]
    let screenshotID: Int64
    let pageSourceID: Int64
    let outsideID: Int64
    let symlinkID: Int64
    let reportID: Int64

    static let password = "correct-horse-1"
    static let hostile = "<script>alert('owned')</script>"

    static func make(configure: (inout DashboardConfiguration) -> Void = { _ in }) async throws -> DashboardHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-dashboard-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/flows", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/screenshots/run-1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/runs/run-1/files", withIntermediateDirectories: true)
        let store = try SQLiteRunStore(path: folder + "/ferry.db")
        let hasher = PasswordHasher(rounds: 1_000)
        let accounts = OperatorAccounts(store: store, hasher: hasher)
        try accounts.addUser(name: "alice", role: .operator, password: password, by: "cli:root")
        try accounts.addUser(name: "victor", role: .viewer, password: password, by: "cli:root")
        try accounts.addUser(name: "ada", role: .admin, password: password, by: "cli:root")

        _ = try store.createRun(
            RunRecord(id: "run-1", flow: "clinic-daily-sync", flowPath: folder + "/flows/clinic-daily-sync.yaml", inputs: ["date": "2026-11-22"],
                      state: .needsReview, trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
        _ = try store.addItems(
            [
                NewWorkItem(key: "A-1", payload: ["amount": "10.00", "patient": "Ann"]),
                NewWorkItem(key: "A-2", payload: ["amount": "", "patient": hostile], reviewReason: "Billing line 7 has no amount"),
                NewWorkItem(key: "A-3", payload: ["amount": "30.00", "patient": "Cy"]),
                NewWorkItem(key: "A-4", payload: ["amount": "40.00", "patient": "Di"]),
                NewWorkItem(key: "A-5", payload: ["amount": "", "patient": "Ed"], reviewReason: "Billing line 9 has no amount"),
            ],
            runID: "run-1", actor: "engine")
        var items: [String: Int64] = [:]
        for item in try store.items(runID: "run-1", states: []) { items[item.key] = item.id }
        _ = try store.finishItem(id: items["A-1"] ?? 0, state: .done, reason: nil, actor: "worker:1")
        _ = try store.finishItem(id: items["A-3"] ?? 0, state: .error, reason: "the ledger answered HTTP 500", actor: "worker:1")
        try store.setVariables(["report_rows": "5"], runID: "run-1", actor: "engine")
        try "flow: clinic-daily-sync\n".write(toFile: folder + "/flows/clinic-daily-sync.yaml", atomically: true, encoding: .utf8)

        // Artifacts: a screenshot and a page source in the run's folders, one recorded outside them, one
        // a link inside the folder that points outside.
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 32)
        try png.write(to: URL(fileURLWithPath: folder + "/screenshots/run-1/enter-A-2.png"))
        try "<html><script>alert(1)</script></html>".write(toFile: folder + "/screenshots/run-1/enter-A-2.html", atomically: true, encoding: .utf8)
        try "secret outside".write(toFile: folder + "/outside.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/runs/run-1/files/link.csv", withDestinationPath: folder + "/outside.txt")
        func record(_ kind: Artifact.Kind, _ path: String) throws -> Int64 {
            try store.recordArtifact(Artifact(runID: "run-1", kind: kind, path: path, size: 40, sha256: String(repeating: "a", count: 64),
                                              stage: "enter_in_ledger", step: 3, itemKey: "A-2"), actor: "engine").id
        }
        let screenshotID = try record(.screenshot, folder + "/screenshots/run-1/enter-A-2.png")
        let pageSourceID = try record(.pageSource, folder + "/screenshots/run-1/enter-A-2.html")
        let outsideID = try record(.download, folder + "/screenshots/run-1/../../outside.txt")
        let symlinkID = try record(.download, folder + "/runs/run-1/files/link.csv")
        try "<!doctype html><p>Agreement: 97.0%</p>".write(toFile: folder + "/runs/run-1/comparison-manual.html", atomically: true, encoding: .utf8)
        let reportID = try record(.report, folder + "/runs/run-1/comparison-manual.html")

        var configuration = DashboardConfiguration()
        configuration.port = 0
        configuration.flowsDirectory = folder + "/flows"
        configuration.runsDirectory = folder + "/runs"
        configuration.screenshotsDirectory = folder + "/screenshots"
        configure(&configuration)
        let launcher = RecordingLauncher()
        let dashboard = try await Dashboard.make(store: store, configuration: configuration, launcher: launcher, hasher: hasher)
        return DashboardHarness(folder: folder, store: store, dashboard: dashboard, launcher: launcher, items: items, screenshotID: screenshotID,
                                pageSourceID: pageSourceID, outsideID: outsideID, symlinkID: symlinkID, reportID: reportID)
    }

    func id(_ key: String) -> Int64 { items[key] ?? -1 }

    func item(_ key: String) throws -> WorkItem {
        guard let item = try store.item(id: id(key)) else { throw HarnessFailure("no item \(key)") }
        return item
    }

    func auditCount() throws -> Int {
        try store.auditLog(entityType: nil, entityID: nil, limit: 1_000_000).count
    }

    /// Runs `body` against the router in-process.
    func test<T: Sendable>(_ body: @Sendable (DashboardClient) async throws -> T) async throws -> T {
        let app = Application(router: dashboard.makeRouter())
        return try await app.test(.router) { client in try await body(DashboardClient(client: client)) }
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Records what the dashboard asked to run, and runs nothing.
final class RecordingLauncher: RunLauncher {
    let launched = Mutex<[ActionOutcome.FollowUp]>([])

    func launch(_ followUp: ActionOutcome.FollowUp, by person: Operator) async throws(OperatorError) -> RunOutcome {
        launched.withLock { $0.append(followUp) }
        throw OperatorError(.launchFailed, "the test launcher runs nothing")
    }

    var followUps: [ActionOutcome.FollowUp] { launched.withLock { $0 } }
}

/// A browser's view of the dashboard: a session cookie and the page's CSRF token.
struct DashboardClient: Sendable {
    let client: any TestClientProtocol

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }

        /// The CSRF token in the page's forms.
        var csrf: String? {
            guard let range = body.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    func get(_ uri: String, cookie: String? = nil) async throws -> Page {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func post(_ uri: String, _ fields: [(String, String)], cookie: String? = nil) async throws -> Page {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// The sign-in form's token and the cookie that carries it (the form is refused without both).
    func signInForm() async throws -> (cookie: String, csrf: String) {
        let page = try await get("/sign-in")
        return (page.headers[.setCookie].map { String($0.prefix { $0 != ";" }) } ?? "", page.csrf ?? "")
    }

    /// Posts the sign-in form as a browser does (with the form's token).
    func postSignIn(_ name: String, password: String, next: String? = nil) async throws -> Page {
        let form = try await signInForm()
        var fields = [("name", name), ("password", password), ("csrf", form.csrf)]
        if let next { fields.append(("next", next)) }
        return try await post("/sign-in", fields, cookie: form.cookie.isEmpty ? nil : form.cookie)
    }

    /// Signs in and returns the cookie header value and a CSRF token.
    func signIn(_ name: String, password: String = DashboardHarness.password) async throws -> (cookie: String, csrf: String) {
        let response = try await postSignIn(name, password: password)
        guard response.status == .seeOther, let setCookie = response.headers[.setCookie] else {
            throw HarnessFailure("sign-in of \(name) answered \(response.status)")
        }
        let cookie = String(setCookie.prefix { $0 != ";" })
        let page = try await get("/", cookie: cookie)
        guard let csrf = page.csrf else { throw HarnessFailure("no CSRF token on the status page") }
        return (cookie, csrf)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
