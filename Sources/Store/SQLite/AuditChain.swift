import Foundation

/// The hash chain over audit rows: each row's hash covers its fields and the previous row's hash.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(sequence: Int64, at: String, actor: String, entityType: String, entityID: String,
                     fromState: String?, toState: String?, reason: String?, payload: String?, previousHash: String) -> String {
        let fields = [
            previousHash, String(sequence), at, actor, entityType, entityID,
            fromState ?? "\u{0}", toState ?? "\u{0}", reason ?? "\u{0}", payload ?? "\u{0}",
        ]
        return SHA256Hex.of(Data(fields.joined(separator: "\u{1F}").utf8))
    }
}
