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
            abstract: "Check that no audit row is missing or was changed (sequence and hash chain). Exits 1 if one was.")

        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let verification = try store.openExisting().verifyAuditLog()
            if let problem = verification.problem {
                print("audit log NOT intact after \(verification.rowsChecked) good rows: \(problem)")
                throw ExitCode(1)
            }
            print("audit log intact: \(verification.rowsChecked) rows, sequence contiguous, hash chain verified")
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
