import Crypto
import Foundation
import GRDB
import Synchronization

/// Anchors the audit chain outside the database, so that someone who can rewrite the SQLite file
/// (drop the triggers, delete the last rows, insert or edit rows and recompute every hash) is caught
/// by `ferry audit verify`.
///
/// Two files next to the store, never inside it:
/// - `<store>.audit-key`: a random 256-bit key (mode 0600). Every audit row written after the key was
///   made carries `mac` = HMAC-SHA256(key, row hash); without the key nobody can forge a row, nor
///   recompute the chain after an edit.
/// - `<store>.audit-witness`: an append-only list of chain heads (`seq hash mac`), written after the
///   commit every ``witnessInterval`` rows, at the end of every run, and for every row an operator or
///   an account change writes. Verify checks that each witnessed row is still there with the same hash,
///   so deleting rows back to before a witnessed head is caught.
///
/// What it cannot catch: someone who can read the key file (the Ferry account, root) can forge
/// everything; rows written after the last witnessed head can be deleted unnoticed; and deleting both
/// files makes the store look like one from before this seal. Keep a copy of the witness elsewhere
/// (`chattr +a`, or ship it to syslog) for those.
public final class AuditSeal: Sendable {
    public let keyPath: String
    public let witnessPath: String
    /// Nil when the key file is missing although rows were sealed with it (verify reports it).
    let key: SymmetricKey?
    /// Rows numbered above this carry a MAC; rows up to it were written before the key existed.
    public let sealedAfter: Int64

    /// A head is witnessed at least every this many rows.
    static let witnessInterval: Int64 = 50

    private let witnessLock = Mutex<Void>(())

    init(keyPath: String, witnessPath: String, key: SymmetricKey?, sealedAfter: Int64) {
        self.keyPath = keyPath
        self.witnessPath = witnessPath
        self.key = key
        self.sealedAfter = sealedAfter
    }

    /// HMAC-SHA256 of the row's hash, as hex; nil without a key.
    public func mac(of hash: String) -> String? {
        guard let key else { return nil }
        return SHA256Hex.hex(HMAC<SHA256>.authenticationCode(for: Data(hash.utf8), using: key))
    }

    func isValid(mac: String?, of hash: String) -> Bool {
        guard let key, let mac else { return false }
        return mac == SHA256Hex.hex(HMAC<SHA256>.authenticationCode(for: Data(hash.utf8), using: key))
    }

    /// Whether the row is one whose head goes into the witness file.
    public static func isWitnessed(sequence: Int64, _ event: AuditEvent) -> Bool {
        if sequence % witnessInterval == 0 { return true }
        if event.entityType == "run", let state = event.toState, ["succeeded", "failed", "needs_review"].contains(state) { return true }
        if event.entityType == "user" { return true }
        return event.actor.hasPrefix("operator:") || event.actor.hasPrefix("cli:")
    }

    /// Appends `seq hash mac` to the witness file (one `write` on an `O_APPEND` descriptor, so lines
    /// from several processes never interleave).
    public func witness(sequence: Int64, hash: String, mac: String?) {
        let line = "\(sequence) \(hash) \(mac ?? "-")\n"
        witnessLock.withLock { _ in
            let descriptor = open(witnessPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            _ = line.withCString { write(descriptor, $0, strlen($0)) }
        }
    }

    struct WitnessedHead: Sendable {
        let line: Int
        let sequence: Int64
        let hash: String
        let mac: String
    }

    /// The witnessed heads, or nil when the file does not exist.
    func witnessedHeads() -> [WitnessedHead]? {
        guard let text = try? String(contentsOfFile: witnessPath, encoding: .utf8) else { return nil }
        var heads: [WitnessedHead] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let sequence = Int64(parts[0]) else { continue }
            heads.append(WitnessedHead(line: index + 1, sequence: sequence, hash: String(parts[1]), mac: String(parts[2])))
        }
        return heads
    }

    // MARK: Opening

    /// The seal of the store at `databasePath`: reads its key file, or makes one (and witnesses the
    /// current head) when the store has no sealed row yet.
    static func load(databasePath: String, pool: DatabasePool) throws(StoreError) -> AuditSeal {
        try load(basePath: databasePath, store: databasePath) { () throws(StoreError) in
            do {
                return try pool.read { db -> (head: (Int64, String)?, sealedRows: Int) in
                    let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").map { ($0["seq"] as Int64, $0["hash"] as String) }
                    let sealed = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE mac IS NOT NULL") ?? 0
                    return (head, sealed)
                }
            } catch {
                throw StoreError(code: .cannotOpen, path: databasePath, message: "cannot read the audit log to seal it: \(error)")
            }
        }
    }

    /// The seal kept in `<basePath>.audit-key` and `<basePath>.audit-witness`, for a store of any kind
    /// (`store` names it in errors): reads the key file, or makes one (and witnesses the current head,
    /// which `chainState` reports with how many rows carry a MAC) when the store has no sealed row yet.
    public static func load(
        basePath: String, store: String, chainState: () throws(StoreError) -> (head: (Int64, String)?, sealedRows: Int)
    ) throws(StoreError) -> AuditSeal {
        let databasePath = store
        let keyPath = basePath + ".audit-key"
        let witnessPath = basePath + ".audit-witness"
        if let (key, after) = readKey(keyPath) {
            return AuditSeal(keyPath: keyPath, witnessPath: witnessPath, key: key, sealedAfter: after)
        }
        let (head, sealedRows) = try chainState()
        if sealedRows > 0 {
            // Rows were sealed with a key that is gone: never make a new one silently.
            return AuditSeal(keyPath: keyPath, witnessPath: witnessPath, key: nil, sealedAfter: 0)
        }
        let after = head?.0 ?? 0
        let key = SymmetricKey(size: .bits256)
        let keyText = "ferry-audit-key 1 after=\(after) " + key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        // Written aside, then linked into place: two processes opening a new store agree on one key.
        let temporary = keyPath + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(keyText.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError(code: .cannotOpen, path: databasePath, message: "cannot write the audit key file \(keyPath); check that the folder is writable")
        }
        defer { unlink(temporary) }
        if link(temporary, keyPath) == 0 {
            let seal = AuditSeal(keyPath: keyPath, witnessPath: witnessPath, key: key, sealedAfter: after)
            // The witness exists from the start: from now on, a missing witness file was deleted.
            let descriptor = open(witnessPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
            if let head { seal.witness(sequence: head.0, hash: head.1, mac: seal.mac(of: head.1)) }
            return seal
        }
        if let (key, after) = readKey(keyPath) {
            return AuditSeal(keyPath: keyPath, witnessPath: witnessPath, key: key, sealedAfter: after)
        }
        throw StoreError(code: .cannotOpen, path: databasePath, message: "cannot create the audit key file \(keyPath): \(String(cString: strerror(errno)))")
    }

    private static func readKey(_ path: String) -> (SymmetricKey, Int64)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 4, parts[0] == "ferry-audit-key", parts[1] == "1", parts[2].hasPrefix("after="),
            let after = Int64(parts[2].dropFirst(6)), let bytes = Data(base64Encoded: String(parts[3])), bytes.count == 32
        else { return nil }
        return (SymmetricKey(data: bytes), after)
    }

    // MARK: Finding the seal from a connection

    /// The seal of each open connection: ``SQLiteRunStore/appendAudit(_:at:in:)`` is static and gets only
    /// the `Database`. Every new connection registers itself (in `prepareDatabase`) before any use, so a
    /// reused identifier always maps to the right seal.
    private static let connections = Mutex<[ObjectIdentifier: SealHolder]>([:])

    static func register(_ holder: SealHolder, for db: Database) {
        connections.withLock { $0[ObjectIdentifier(db)] = holder }
    }

    static func seal(for db: Database) -> AuditSeal? {
        connections.withLock { $0[ObjectIdentifier(db)] }?.seal
    }
}

/// The seal of one store, set once it is opened (connections are prepared before it exists).
final class SealHolder: Sendable {
    private let value = Mutex<AuditSeal?>(nil)
    var seal: AuditSeal? { value.withLock { $0 } }
    func set(_ seal: AuditSeal) { value.withLock { $0 = seal } }
}
