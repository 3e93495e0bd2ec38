import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The names workers claim items under: `HOST:PID/worker:N`, so a claim says which host, which process
/// and which of its workers holds the item, and a process on the same host can tell a claim of a
/// process that has gone (after a crash) from one of a process still at work.
public enum WorkerName {
    /// `HOST:PID` of this process.
    public static let thisProcess: String = "\(hostName):\(getpid())"

    /// This machine's short host name (`gethostname`, no DNS lookup).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let size = buffer.count - 1
        guard gethostname(&buffer, size) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.split(separator: ".").first.map(String.init) ?? "localhost"
    }

    /// The name of worker `number` of the process named `process`.
    public static func worker(_ number: Int, of process: String) -> String {
        "\(process)/worker:\(number)"
    }

    /// The host and process id in a worker's name (`HOST:PID/worker:N`); nil for a name of another shape
    /// (older runs named their workers `worker:N`).
    public static func parse(_ name: String) -> (host: String, pid: Int32)? {
        guard let slash = name.firstIndex(of: "/") else { return nil }
        return parseProcess(String(name[..<slash]))
    }

    /// The host and process id in a process's name (`HOST:PID`).
    static func parseProcess(_ process: String) -> (host: String, pid: Int32)? {
        guard let colon = process.lastIndex(of: ":"), let pid = Int32(process[process.index(after: colon)...]) else { return nil }
        let host = String(process[..<colon])
        return host.isEmpty ? nil : (host, pid)
    }

    /// Whether a claim under `name` was made by a process that is no longer there: a name without a
    /// host (from an older Ferry, whose workers all lived in the process that ran the flow), or a process
    /// of this host that has ended. A claim of another host is never judged here: its lease decides.
    static func hasGone(_ name: String, thisProcess: String = WorkerName.thisProcess) -> Bool {
        guard let claim = parse(name) else { return true }
        guard let own = parseProcess(thisProcess), claim.host == own.host else { return false }
        if claim.pid == own.pid { return false }
        return kill(claim.pid, 0) == -1 && errno == ESRCH
    }
}
