import ArgumentParser
import Store

/// The audit log: checking its chain, and reading it.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check or read the append-only audit log.",
        subcommands: [Verify.self, Log.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit row is missing, forged or changed (sequence, hash chain, MACs, witness file). Exits 1 if one was.",
            discussion: """
                Rows are sealed with a key kept next to the store (STORE.audit-key) and chain heads are written to an \
                append-only witness file (STORE.audit-witness). Verify catches deleted, inserted, edited and rehashed rows, \
                and deleted rows back to the last witnessed head. It cannot catch someone who can read the key file, nor \
                the deletion of rows written after the last witnessed head. See docs/operators.md, "Security".
                """)

        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let verification = try store.openExisting().verifyAuditLog()
            if let problem = verification.problem {
                print("audit log NOT intact after \(verification.rowsChecked) good rows: \(problem)")
                throw ExitCode(1)
            }
            var line = "audit log intact: \(verification.rowsChecked) rows, sequence contiguous, hash chain verified"
            if let sealedAfter = verification.sealedAfter {
                line += sealedAfter > 0
                    ? "; MACs checked on rows after \(sealedAfter) (rows 1-\(sealedAfter) predate the audit key: chain only)"
                    : "; every row's MAC checked"
                line += verification.lastWitnessed.map { "; witness file checked up to row \($0)" } ?? "; nothing witnessed yet"
            }
            print(line)
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print audit rows, oldest first.")

        @OptionGroup var store: StoreOptionGroup

        @Option(help: "Only rows about this kind of entity: run, stage, step, item, artifact, side_effect.")
        var entity: String?

        @Option(help: "Only rows about this entity id (a run id, an item number).")
        var id: String?

        @Option(help: "At most this many of the newest rows.")
        var limit = 200

        func run() throws {
            let entries = try store.openExisting().auditLog(entityType: entity, entityID: id, limit: limit)
            for entry in entries { print(AuditLine.format(entry)) }
        }
    }
}

/// One audit row as a line a person reads.
enum AuditLine {
    static func format(_ entry: AuditEntry) -> String {
        var line = "#\(entry.sequence) \(entry.at.formatted(.iso8601)) \(entry.actor) \(entry.entityType) \(entry.entityID)"
        switch (entry.fromState, entry.toState) {
        case let (from?, to?): line += " \(from) -> \(to)"
        case let (nil, to?): line += " -> \(to)"
        default: break
        }
        if let reason = entry.reason { line += ": \(reason)" }
        return line
    }
}
