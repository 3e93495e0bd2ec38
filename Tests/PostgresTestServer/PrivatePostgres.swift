import Foundation
import Synchronization

/// A PostgreSQL server of the tests' own: `initdb` into a temporary folder, listening on a free loopback
/// port, started on first use and stopped when the test process exits. PostgreSQL refuses to run as
/// root, so as root the server runs as the unprivileged `postgres` user (`runuser -u postgres`).
///
/// Each test gets a database of its own (``makeDatabase()``), so tests run in parallel without sharing rows.
public final class PrivatePostgres: Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public let folder: String
    public let binaries: String
    private let nextDatabase = Atomic<Int>(0)

    /// The folder holding `initdb`, `pg_ctl` and `psql` (Debian: /usr/lib/postgresql/VERSION/bin), if installed.
    public static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Whether the PostgreSQL half of the store tests runs: when PostgreSQL is installed, and always under
    /// CI (where a missing PostgreSQL then fails the tests instead of silently skipping them).
    public static var isTested: Bool { binaries != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    /// The one server of this test process.
    public static func shared() throws -> PrivatePostgres {
        try started.get()
    }

    private static let started: Result<PrivatePostgres, any Error> = Result { try PrivatePostgres() }

    private init() throws {
        guard let binaries = Self.binaries else {
            throw Unavailable(description: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); scripts/install-deps installs it")
        }
        self.binaries = binaries
        var template = Array("/tmp/ferry-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Unavailable(description: "cannot make a temporary folder for PostgreSQL") }
        folder = String(cString: made)
        let asRoot = getuid() == 0
        if asRoot {
            guard let account = getpwnam("postgres") else {
                throw Unavailable(description: "running as root, but there is no `postgres` user to run the server as (Debian's postgresql package makes it)")
            }
            chown(folder, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        port = try Self.freePort()
        try Self.run(asRoot: asRoot, binaries + "/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "ferry", "--no-sync", "-E", "UTF8"])
        try Self.run(
            asRoot: asRoot, binaries + "/pg_ctl",
            ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "30",
             "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=100", "start"])
        try Self.stopWhenThisProcessEnds(asRoot: asRoot, binaries: binaries, folder: folder)
    }

    /// A new, empty database on the server; returns its URL.
    public func makeDatabase() throws -> String {
        let name = "ferry_test_\(getpid())_\(nextDatabase.add(1, ordering: .relaxed).newValue)"
        try Self.run(asRoot: false, binaries + "/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "ferry", "-d", "postgres", "-q", "-c", "CREATE DATABASE \(name)"])
        return "postgres://ferry@127.0.0.1:\(port)/\(name)"
    }

    /// Runs one SQL statement with psql in the database at `url` (one ``makeDatabase()`` made).
    public func execute(_ sql: String, in url: String) throws {
        let database = String(url.split(separator: "/").last ?? "")
        try Self.run(asRoot: false, binaries + "/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "ferry", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
    }

    /// Runs SQL commands with psql, in order in one session, in the database at `url`; returns what they
    /// printed (tuples only, unaligned).
    public func output(of commands: [String], in url: String) throws -> String {
        let database = String(url.split(separator: "/").last ?? "")
        return try Self.run(
            asRoot: false, binaries + "/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "ferry", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t"]
                + commands.flatMap { ["-c", $0] })
    }

    // MARK: Processes

    /// Starts a watcher that stops the server and removes its folder once this process has ended, however
    /// it ends (a normal exit, a failed expectation's crash, a kill), so no server outlives its tests.
    private static func stopWhenThisProcessEnds(asRoot: Bool, binaries: String, folder: String) throws {
        let stop = (asRoot ? "/usr/sbin/runuser -u postgres -- " : "") + "\(binaries)/pg_ctl -D \(folder)/data -m immediate -w stop"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf \(folder)"
        try spawn(["/bin/sh", "-c", script], output: "/dev/null")
    }

    /// Runs a command to its end with `posix_spawn` and `waitpid` (its output to a file: the server
    /// pg_ctl starts keeps inherited descriptors open, so a pipe would never reach its end).
    @discardableResult
    private static func run(asRoot: Bool, _ executable: String, _ arguments: [String]) throws -> String {
        let command = asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let logPath = NSTemporaryDirectory() + "ferry-pg-command-\(UUID().uuidString).log"
        defer { unlink(logPath) }
        let pid = try spawn(command, output: logPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        guard status & 0x7f == 0, exitCode == 0 else {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\((executable as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    @discardableResult
    private static func spawn(_ command: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Unavailable(description: "cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Unavailable(description: "cannot bind a loopback socket to find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
