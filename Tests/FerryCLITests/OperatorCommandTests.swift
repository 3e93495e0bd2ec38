import Foundation
import Store
import Testing

/// The operator subcommands, run as the real `ferry` program against a store prepared in a temporary folder.
@Suite("CLI operator actions: the same rules and audit rows as the dashboard")
struct OperatorCommandTests {
    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `ferry` with `arguments` (and `input` on standard input) to its end, at most 60 seconds.
    static func ferry(_ arguments: [String], in directory: URL, input: String = "") async throws -> Result {
        let child = FerryProcess(arguments, in: directory)
        let stdin = Pipe()
        child.process.standardInput = stdin
        try child.start()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let ended = await child.waitForExit(timeout: .seconds(60))
        #expect(ended, "ferry \(arguments.joined(separator: " ")) did not end")
        let output = String(decoding: child.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Result(status: child.process.terminationStatus, output: output)
    }

    /// A store with one finished run: item 1 done, item 2 in review, item 3 in error.
    static func prepare() throws -> (URL, SQLiteRunStore) {
        let directory = try FerryProcess.temporaryDirectory()
        let store = try SQLiteRunStore(path: directory.appendingPathComponent("ferry.db").path)
        _ = try store.createRun(
            RunRecord(id: "run-1", flow: "clinic-daily-sync", flowPath: "flows/clinic-daily-sync.yaml", inputs: [:], state: .needsReview,
                      trigger: .cli, triggeredBy: "cli:tester"),
            actor: "cli:tester")
        _ = try store.addItems(
            [NewWorkItem(key: "A-1", payload: ["amount": "1"]), NewWorkItem(key: "A-2", payload: ["amount": ""], reviewReason: "no amount"),
             NewWorkItem(key: "A-3", payload: ["amount": "3"])],
            runID: "run-1", actor: "engine")
        _ = try store.finishItem(id: 1, state: .done, reason: nil, actor: "worker:1")
        _ = try store.finishItem(id: 3, state: .error, reason: "HTTP 500", actor: "worker:1")
        return (directory, store)
    }

    @Test("users add stores the role from --password-stdin; a short password is refused")
    func users() async throws {
        let (directory, store) = try Self.prepare()
        let added = try await Self.ferry(["users", "add", "victor", "--role", "viewer", "--password-stdin", "--db", "ferry.db"], in: directory,
                                         input: "viewer-password-1\n")
        #expect(added.status == 0, "\(added.output)")
        #expect(try store.user(named: "victor")?.role == .viewer)
        let short = try await Self.ferry(["users", "add", "bob", "--password-stdin", "--db", "ferry.db"], in: directory, input: "short\n")
        #expect(short.status == 64)
        #expect(short.output.contains("at least 10 characters"))
        let list = try await Self.ferry(["users", "list", "--db", "ferry.db"], in: directory)
        #expect(list.output.contains("victor") && list.output.contains("viewer"))
    }

    @Test("mark-done, escalate, override and retry write audit rows as operator:NAME; --no-run only queues")
    func actions() async throws {
        let (directory, store) = try Self.prepare()
        let done = try await Self.ferry(["mark-done", "3", "--reason", "entered by hand", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(done.status == 0, "\(done.output)")
        #expect(try store.item(id: 3)?.state == .done)
        let row = try store.auditLog(entityType: "item", entityID: "3", limit: 5).last
        #expect(row?.actor == "operator:carol")
        #expect(row?.reason == "marked done: entered by hand")

        let escalated = try await Self.ferry(["escalate", "1", "--reason", "amount doubled?", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(escalated.status == 0)
        #expect(try store.item(id: 1)?.state == .needsReview)

        let overridden = try await Self.ferry(
            ["override", "2", "--set", "amount=20.00", "--reason", "confirmed", "--no-run", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(overridden.status == 0, "\(overridden.output)")
        #expect(overridden.output.contains("ferry resume run-1"))
        #expect(try store.item(id: 2)?.payload["amount"] == "20.00")
        #expect(try store.item(id: 2)?.state == .new)

        let retried = try await Self.ferry(["retry", "--item", "1", "--no-run", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(retried.status == 0)
        #expect(try store.item(id: 1)?.state == .new)

        let paused = try await Self.ferry(["schedule", "pause", "clinic-daily-sync", "--reason", "maintenance", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(paused.status == 0)
        #expect(try store.schedules().first?.paused == true)
        #expect(try store.verifyAuditLog().isIntact)
    }

    @Test("refusals: no reason (usage, 64), a viewer (77), the wrong state (3, naming the state); nothing is written")
    func refusals() async throws {
        let (directory, store) = try Self.prepare()
        _ = try await Self.ferry(["users", "add", "victor", "--role", "viewer", "--password-stdin", "--db", "ferry.db"], in: directory,
                                 input: "viewer-password-1\n")
        let before = try store.auditLog(entityType: nil, entityID: nil, limit: 100_000).count
        #expect(try await Self.ferry(["mark-done", "2", "--db", "ferry.db"], in: directory).status == 64)
        let blank = try await Self.ferry(["escalate", "3", "--reason", " ", "--db", "ferry.db"], in: directory)
        #expect(blank.status == 1)
        #expect(blank.output.contains("needs a reason"))
        let viewer = try await Self.ferry(["mark-done", "2", "--reason", "x", "--operator", "victor", "--db", "ferry.db"], in: directory)
        #expect(viewer.status == 77)
        #expect(viewer.output.contains("victor is a viewer"))
        let wrong = try await Self.ferry(["retry", "--item", "1", "--no-run", "--db", "ferry.db"], in: directory)
        #expect(wrong.status == 3)
        #expect(wrong.output.contains("is done now"))
        #expect(try store.auditLog(entityType: nil, entityID: nil, limit: 100_000).count == before)
        #expect(try store.item(id: 2)?.state == .needsReview)
    }

    @Test("a CLI action's audit row says it came from the CLI, with the operating-system user (the --operator name is self-declared)")
    func origin() async throws {
        let (directory, store) = try Self.prepare()
        let done = try await Self.ferry(["mark-done", "2", "--reason", "by phone", "--operator", "carol", "--db", "ferry.db"], in: directory)
        #expect(done.status == 0, "\(done.output)")
        let row = try #require(try store.auditLog(entityType: "item", entityID: "2", limit: 10).last)
        #expect(row.actor == "operator:carol")
        #expect(row.payload?.contains("\"via\":\"cli\"") == true, "\(row.payload ?? "")")
        let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        #expect(row.payload?.contains("\"os user\":\"\(user)\"") == true, "\(row.payload ?? "")")
    }

    @Test("users disable, enable, delete and unlock: audited, with the OS user; an unknown name exits 3")
    func userAdministration() async throws {
        let (directory, store) = try Self.prepare()
        _ = try await Self.ferry(["users", "add", "alice", "--password-stdin", "--db", "ferry.db"], in: directory, input: "alice-password-1\n")
        let policy = SignInPolicy(failures: 2, successes: 10, window: 900)
        for _ in 1...3 { _ = try store.reserveSignInAttempt(name: "alice", address: "10.0.0.9", policy: policy, now: Date()) }
        #expect(try store.signInLocks(now: Date()).map(\.userName) == ["alice"])
        let listed = try await Self.ferry(["users", "list", "--db", "ferry.db"], in: directory)
        #expect(listed.output.contains("locked: alice from 10.0.0.9"))
        let unlocked = try await Self.ferry(["users", "unlock", "alice", "--db", "ferry.db"], in: directory)
        #expect(unlocked.status == 0, "\(unlocked.output)")
        #expect(try store.signInLocks(now: Date()).isEmpty)

        #expect(try await Self.ferry(["users", "disable", "alice", "--db", "ferry.db"], in: directory).status == 0)
        #expect(try store.user(named: "alice")?.disabledAt != nil)
        #expect(try await Self.ferry(["users", "enable", "alice", "--db", "ferry.db"], in: directory).status == 0)
        #expect(try store.user(named: "alice")?.disabledAt == nil)
        #expect(try await Self.ferry(["users", "delete", "alice", "--db", "ferry.db"], in: directory).status == 0)
        #expect(try store.user(named: "alice") == nil)
        #expect(try await Self.ferry(["users", "delete", "nobody", "--db", "ferry.db"], in: directory).status == 3)

        let rows = try store.auditLog(entityType: "user", entityID: "alice", limit: 100)
        #expect(rows.map(\.toState).suffix(4) == ["unlocked", "disabled", "active", "deleted"])
        #expect(rows.last?.payload?.contains("\"via\":\"cli\"") == true)
        #expect(try store.verifyAuditLog().isIntact)
    }
}
