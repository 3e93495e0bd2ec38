import Foundation

/// Checks an audit log row by row, oldest first, whatever database holds it: the numbering, each previous
/// hash, each row's hash, each sealed row's MAC, and at the end the witnessed heads.
public struct AuditChainVerifier {
    let seal: AuditSeal?
    var expected: Int64 = 1
    var previousHash = AuditChain.genesis
    var checked = 0
    var hashes: [Int64: String] = [:]

    public init(seal: AuditSeal?) {
        self.seal = seal
    }

    /// Checks the next row; the verification to report when the row breaks the chain, nil when it follows.
    /// `atText` is the timestamp exactly as stored (it is hashed as text).
    public mutating func check(_ entry: AuditEntry, atText: String, mac: String?) -> AuditVerification? {
        if entry.sequence != expected {
            return AuditVerification(rowsChecked: checked, problem: "row \(expected) is missing: the next row is \(entry.sequence)")
        }
        if entry.previousHash != previousHash {
            return AuditVerification(rowsChecked: checked, problem: "row \(entry.sequence) does not follow row \(expected - 1): its previous-hash does not match")
        }
        let recomputed = AuditChain.hash(
            sequence: entry.sequence, at: atText, actor: entry.actor, entityType: entry.entityType, entityID: entry.entityID,
            fromState: entry.fromState, toState: entry.toState, reason: entry.reason, payload: entry.payload,
            previousHash: entry.previousHash)
        if recomputed != entry.hash {
            return AuditVerification(rowsChecked: checked, problem: "row \(entry.sequence) was changed after it was written: its hash does not match its content")
        }
        if let seal, entry.sequence > seal.sealedAfter {
            guard seal.key != nil else {
                return AuditVerification(rowsChecked: checked, problem: "the audit key file \(seal.keyPath) is missing, so no row's MAC can be checked; restore it from a backup")
            }
            guard seal.isValid(mac: mac, of: entry.hash) else {
                return AuditVerification(
                    rowsChecked: checked,
                    problem: "row \(entry.sequence) was not written by Ferry: its MAC does not match the audit key (a row inserted, or edited and rehashed)")
            }
        }
        hashes[entry.sequence] = entry.hash
        previousHash = entry.hash
        expected += 1
        checked += 1
        return nil
    }

    /// After the last row: checks each head in the witness file against the rows seen.
    public func finish() -> AuditVerification {
        guard let seal else { return AuditVerification(rowsChecked: checked, problem: nil) }
        guard let heads = seal.witnessedHeads() else {
            return AuditVerification(rowsChecked: checked, problem: "the witness file \(seal.witnessPath) is missing; restore it from a backup")
        }
        for head in heads {
            guard seal.isValid(mac: head.mac, of: head.hash) else {
                return AuditVerification(rowsChecked: checked, problem: "line \(head.line) of \(seal.witnessPath) was not written by Ferry: its MAC does not match")
            }
            guard let hash = hashes[head.sequence] else {
                return AuditVerification(
                    rowsChecked: checked,
                    problem: "row \(head.sequence) is missing: the witness file saw it (line \(head.line)) but the log ends at row \(expected - 1); rows were deleted")
            }
            guard hash == head.hash else {
                return AuditVerification(
                    rowsChecked: checked,
                    problem: "row \(head.sequence) differs from the one the witness file saw (line \(head.line)): the log was rewritten")
            }
        }
        return AuditVerification(rowsChecked: checked, problem: nil, sealedAfter: seal.sealedAfter, lastWitnessed: heads.map(\.sequence).max())
    }
}
