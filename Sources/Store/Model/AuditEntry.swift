import Foundation

/// One row of the append-only audit log: who moved what from which state to which, and why.
///
/// Rows carry a contiguous sequence number and the hash of the previous row, so a gap or an edit is
/// detectable (``RunStore/verifyAuditLog()``); the database itself refuses UPDATE and DELETE.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var at: Date
    /// `worker:ID`, `operator:NAME`, `cli:USER`, `schedule`, `engine`.
    public var actor: String
    /// `run`, `stage`, `step`, `item`, `artifact`, `side_effect`, `flow`.
    public var entityType: String
    public var entityID: String
    public var fromState: String?
    public var toState: String?
    public var reason: String?
    /// Extra facts as JSON (never a secret).
    public var payload: String?
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, at: Date, actor: String, entityType: String, entityID: String, fromState: String?, toState: String?,
                reason: String?, payload: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.entityType = entityType
        self.entityID = entityID
        self.fromState = fromState
        self.toState = toState
        self.reason = reason
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// What an audit entry records, before the store numbers and chains it.
public struct AuditEvent: Sendable, Hashable {
    public var actor: String
    public var entityType: String
    public var entityID: String
    public var fromState: String?
    public var toState: String?
    public var reason: String?
    public var payload: [String: String]

    public init(actor: String, entityType: String, entityID: String, fromState: String? = nil, toState: String? = nil,
                reason: String? = nil, payload: [String: String] = [:]) {
        self.actor = actor
        self.entityType = entityType
        self.entityID = entityID
        self.fromState = fromState
        self.toState = toState
        self.reason = reason
        self.payload = payload
    }
}

/// The outcome of checking the audit log's sequence and hash chain.
public struct AuditVerification: Sendable, Hashable {
    public var rowsChecked: Int
    /// The first problem found, or `nil` when the chain is intact.
    public var problem: String?
    public var isIntact: Bool { problem == nil }
    /// Rows numbered up to this were written before the store had an audit key: they are checked by
    /// the chain alone (no MAC).
    public var sealedAfter: Int64?
    /// The newest row the witness file saw; rows after it could be deleted without verify noticing.
    public var lastWitnessed: Int64?

    public init(rowsChecked: Int, problem: String?, sealedAfter: Int64? = nil, lastWitnessed: Int64? = nil) {
        self.rowsChecked = rowsChecked
        self.problem = problem
        self.sealedAfter = sealedAfter
        self.lastWitnessed = lastWitnessed
    }
}
