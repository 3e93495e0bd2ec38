import Engine
import Foundation
import Hummingbird
import Logging
import Operators
import Store
import Synchronization

/// The operators' web dashboard: live status, recent activity, run and item details with their
/// audit log, the exception queue, and the operator actions (through ``OperatorActions``, like the CLI).
///
///     let dashboard = try await Dashboard.make(store: store, configuration: configuration, launcher: launcher)
///     try await dashboard.run { port in print("http://127.0.0.1:\(port)/") }
///
/// Server-rendered HTML that works without JavaScript; every page is escaped (work items come from
/// foreign systems), every form carries the session's CSRF token, and cookies are HttpOnly and SameSite=Strict.
public final class Dashboard: Sendable {
    public let store: any OperatorStore
    public let configuration: DashboardConfiguration
    let accounts: OperatorAccounts
    let actions: OperatorActions
    let launcher: (any RunLauncher)?
    let signInPolicy: SignInPolicy
    let templates: DashboardTemplates
    let artifactFiles: ArtifactFiles
    /// Audit and artifact rows rendered once (they never change).
    let renderedRows = RenderedRows()
    let logger: Logger
    /// One notice per session, shown on the next page (after an action's redirect).
    let notices = Mutex<[String: Notice]>([:])
    /// Runs the dashboard started in the background, so tests and shutdown can wait for them.
    let launches = Mutex<[Task<Void, Never>]>([])

    static let cookieName = "ferry_session"
    /// The sign-in form's CSRF token travels in this cookie too (double submit), before any session exists.
    static let signInCookieName = "ferry_sign_in"
    static let pageSize = 25

    struct Notice: Sendable {
        let text: String
        let isError: Bool
    }

    init(store: any OperatorStore, configuration: DashboardConfiguration, launcher: (any RunLauncher)?, hasher: PasswordHasher,
         templates: DashboardTemplates, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.accounts = OperatorAccounts(store: store, hasher: hasher)
        self.actions = OperatorActions(store: store)
        self.launcher = launcher
        self.signInPolicy = SignInPolicy(failures: configuration.signInAttempts, successes: configuration.signInSuccesses,
                                         window: Double(configuration.signInWindow.components.seconds))
        self.templates = templates
        self.artifactFiles = ArtifactFiles(configuration: configuration)
        self.logger = logger
    }

    /// Loads the templates and builds the dashboard. `launcher` runs retries and triggers (without one,
    /// items are queued and runs are left for `ferry resume`).
    public static func make(
        store: any OperatorStore, configuration: DashboardConfiguration = DashboardConfiguration(), launcher: (any RunLauncher)? = nil,
        hasher: PasswordHasher = PasswordHasher(), logger: Logger = Logger(label: "ferry.dashboard")
    ) async throws(DashboardError) -> Dashboard {
        let templates = try await DashboardTemplates.load(configured: configuration.templatesDirectory)
        return Dashboard(store: store, configuration: configuration, launcher: launcher, hasher: hasher, templates: templates, logger: logger)
    }

    /// The application, for `ferry serve` and for tests.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let port = configuration.port
        return Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Ferry"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onListening: onListening).runService()
    }

    /// Waits for the runs this dashboard started in the background.
    public func waitForLaunches() async {
        let tasks = launches.withLock { $0 }
        for task in tasks { await task.value }
    }

    public func makeRouter() -> Router<DashboardContext> {
        let router = Router(context: DashboardContext.self)
        router.add(middleware: SecurityHeadersMiddleware(dashboard: self))
        router.add(middleware: SessionMiddleware(dashboard: self))

        router.get("/static/style.css") { _, _ in
            Response.text(self.templates.stylesheet, contentType: "text/css; charset=utf-8", cache: true)
        }
        router.get("/static/live.js") { _, _ in
            Response.text(self.templates.script, contentType: "text/javascript; charset=utf-8", cache: true)
        }
        router.get("/sign-in") { request, context in await StoreWork.run { self.signInPage(request, context) } }
        router.post("/sign-in") { request, context in try await self.signIn(request, context) }
        router.post("/sign-out") { request, context in try await self.signOut(request, context) }

        router.get("/") { request, context in await self.page(request, context, self.statusPage) }
        // For monitoring: counts only, no payloads or names of people; served without a session, like
        // any Prometheus target (the dashboard binds to loopback unless told otherwise).
        router.get("/metrics") { _, _ in
            do {
                let store = self.store
                return Response.text(try await StoreWork.run { try PrometheusMetrics.text(store: store) }, contentType: PrometheusMetrics.contentType)
            } catch {
                return Response.text("# the store could not be read: \(error)\n", contentType: PrometheusMetrics.contentType, status: .internalServerError)
            }
        }
        router.get("/status.json") { request, context in
            guard context.signedIn != nil else { return Response.text("{}", contentType: "application/json", status: .unauthorized) }
            return await StoreWork.run { self.statusJSON() }
        }
        router.get("/activity") { request, context in await self.page(request, context, self.activityPage) }
        router.get("/exceptions") { request, context in await self.page(request, context, self.exceptionsPage) }
        router.get("/runs/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await self.page(request, context) { request, signedIn in self.runPage(id: id, request, signedIn) }
        }
        router.get("/items/:id") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return await self.page(request, context) { request, signedIn in self.itemPage(id: id, request, signedIn) }
        }
        router.get("/artifacts/:id") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return await self.page(request, context) { _, _ in self.artifact(id: id) }
        }
        router.get("/trigger") { request, context in await self.page(request, context, self.triggerPage) }
        router.get("/users") { request, context in await self.page(request, context, self.usersPage) }
        router.post("/users") { request, context in try await self.saveUser(request, context) }
        for change in ["unlock", "disable", "enable", "delete"] {
            router.post("/users/:name/\(change)") { request, context in try await self.changeUser(request, context, change: change) }
        }

        // Operator actions: POST only, each with the session's CSRF token.
        router.post("/items/:id/retry") { request, context in
            try await self.act(request, context) { _, id in (.retryItem(try Self.itemID(id)), "/items/\(id)") }
        }
        router.post("/items/:id/override") { request, context in
            try await self.act(request, context) { form, id in
                var fields: [String: String] = [:]
                for (name, value) in form.pairs where name.hasPrefix("field.") { fields[String(name.dropFirst(6))] = value }
                return (.override(try Self.itemID(id), fields: fields), "/items/\(id)")
            }
        }
        router.post("/items/:id/redo") { request, context in
            try await self.act(request, context) { _, id in (.redoItem(try Self.itemID(id)), "/items/\(id)") }
        }
        router.post("/items/:id/mark-done") { request, context in
            try await self.act(request, context) { _, id in (.markDone(try Self.itemID(id)), "/items/\(id)") }
        }
        router.post("/items/:id/escalate") { request, context in
            try await self.act(request, context) { _, id in (.escalate(try Self.itemID(id)), "/items/\(id)") }
        }
        router.post("/runs/:id/retry") { request, context in
            try await self.act(request, context) { _, id in (.retryRun(id), "/runs/\(FormFields.encode(id))") }
        }
        router.post("/flows/:id/pause") { request, context in
            try await self.act(request, context) { _, flow in (.pauseSchedule(flow: flow), "/") }
        }
        router.post("/flows/:id/resume") { request, context in
            try await self.act(request, context) { _, flow in (.resumeSchedule(flow: flow), "/") }
        }
        router.post("/trigger") { request, context in
            try await self.act(request, context) { form, _ in
                let path = try self.flowPath(named: form["flow"] ?? "")
                return (.trigger(flowPath: path, inputs: try Self.inputs(form["inputs"] ?? "")), "/activity")
            }
        }
        return router
    }

    static func itemID(_ text: String) throws(OperatorError) -> Int64 {
        guard let id = Int64(text) else { throw OperatorError(.notFound, "there is no work item '\(text)'") }
        return id
    }

    /// `name=value` lines.
    static func inputs(_ text: String) throws(OperatorError) -> [String: String] {
        var inputs: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else {
                throw OperatorError(.invalidInput, "write each input as name=value on its own line: '\(trimmed)' is not")
            }
            inputs[String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)] = String(trimmed[trimmed.index(after: equals)...])
        }
        return inputs
    }

    /// The flow files an operator may trigger: `*.yaml` directly inside the flows folder.
    func flowFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.flowsDirectory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    func flowPath(named name: String) throws(OperatorError) -> String {
        guard flowFiles().contains(name) else {
            throw OperatorError(.notFound, "there is no flow '\(name)' in \(configuration.flowsDirectory); pick one from the list")
        }
        return configuration.flowsDirectory + "/" + name
    }
}

extension Response {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, cache: Bool = false) -> Response {
        Response(
            status: status, headers: [.contentType: contentType, .cacheControl: cache ? "max-age=300" : "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `303 See Other`: after a POST, the browser GETs `location`.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
