import ArgumentParser
import Foundation
import Operators
import Store

/// `ferry retry --item 42` or `ferry retry --run RUN`: back in the queue, then worked.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry an item in error or review (back in the queue, then its run resumes), or a failed run from its failed stage.",
        discussion: "Examples: ferry retry --item 42 --reason \"ledger was down\"   ferry retry --item 42 --redo --reason \"not in the ledger\"   ferry retry --run clinic-daily-sync-20261123-053000-4f2a")

    @Option(help: ArgumentHelp("The work item (see `ferry items`).", valueName: "id"))
    var item: Int64?

    @Option(help: ArgumentHelp("The run (see `ferry runs`).", valueName: "run"))
    var run: String?

    @Option(help: "Why, for the audit log (optional for a retry, required with --redo).")
    var reason: String?

    @Flag(help: ArgumentHelp(
        "You checked the target and the change is not there: forget the item's recorded changes and make them again.",
        discussion: "Without it, a change Ferry recorded as confirmed is never made twice."))
    var redo = false

    @Flag(help: "Only queue it; do not resume the run now.")
    var noRun = false

    @OptionGroup var person: OperatorOptionGroup
    @OptionGroup var options: RunOptionGroup

    func validate() throws {
        guard (item == nil) != (run == nil) else { throw ValidationError("give either --item ID or --run RUN") }
        if redo, item == nil { throw ValidationError("--redo works on one item: give --item ID") }
        if redo, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--redo needs --reason: say what you found in the target, for the audit log")
        }
    }

    func run() async throws {
        let store = try options.store.openExisting()
        let action: OperatorAction = if let item { redo ? .redoItem(item) : .retryItem(item) } else { .retryRun(run ?? "") }
        try await ActionPerformer(store: store, person: try person.person(in: store), storePath: options.store.path)
            .perform(action, reason: reason, run: !noRun, runOptions: options)
    }
}

/// `ferry override 42 --set amount=120.00 --reason "…"`: edit fields, then retry.
struct OverrideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Edit an item's fields, then retry it. A reason is required.",
        discussion: "Example: ferry override 42 --set amount=120.00 --reason \"amount confirmed by the clinic by phone\"")

    @Argument(help: ArgumentHelp("The work item (see `ferry items`).", valueName: "id"))
    var item: Int64

    @Option(name: .customLong("set"), help: ArgumentHelp("A field's new value as name=value; repeatable.", valueName: "name=value"))
    var fields: [String] = []

    @Option(help: "Why the new values are right, for the audit log (required).")
    var reason: String

    @Flag(help: "Only queue it; do not resume the run now.")
    var noRun = false

    @OptionGroup var person: OperatorOptionGroup
    @OptionGroup var options: RunOptionGroup

    func run() async throws {
        let store = try options.store.openExisting()
        let values = try RunCommand.parseInputs(fields)
        try await ActionPerformer(store: store, person: try person.person(in: store), storePath: options.store.path)
            .perform(.override(item, fields: values), reason: reason, run: !noRun, runOptions: options)
    }
}

/// `ferry mark-done 42 --reason "…"`.
struct MarkDoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-done", abstract: "Mark an item done by hand (the work was done another way). A reason is required.")

    @Argument(help: ArgumentHelp("The work item.", valueName: "id"))
    var item: Int64

    @Option(help: "Why, for the audit log (required).")
    var reason: String

    @OptionGroup var person: OperatorOptionGroup
    @OptionGroup var store: StoreOptionGroup

    func run() async throws {
        let opened = try store.openExisting()
        try await ActionPerformer(store: opened, person: try person.person(in: opened), storePath: store.path)
            .perform(.markDone(item), reason: reason, run: false, runOptions: nil)
    }
}

/// `ferry escalate 42 --reason "…"`.
struct EscalateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate", abstract: "Send an item to a person (needs_review) with a note. A reason is required.")

    @Argument(help: ArgumentHelp("The work item.", valueName: "id"))
    var item: Int64

    @Option(help: "The note for the reviewer (required).")
    var reason: String

    @OptionGroup var person: OperatorOptionGroup
    @OptionGroup var store: StoreOptionGroup

    func run() async throws {
        let opened = try store.openExisting()
        try await ActionPerformer(store: opened, person: try person.person(in: opened), storePath: store.path)
            .perform(.escalate(item), reason: reason, run: false, runOptions: nil)
    }
}

/// `ferry trigger flows/x.yaml --input date=…`: a run now, recorded as the operator's.
struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: "Start a flow now as an operator action (audited with your name and reason).")

    @Argument(help: ArgumentHelp("The flow file.", valueName: "flow"))
    var flow: String

    @Option(name: .customLong("input"), help: ArgumentHelp("A flow input as name=value; repeatable.", valueName: "name=value"))
    var inputs: [String] = []

    @Option(help: "Why now, for the audit log.")
    var reason: String?

    @OptionGroup var person: OperatorOptionGroup
    @OptionGroup var options: RunOptionGroup

    func run() async throws {
        let store = try options.store.open()
        try await ActionPerformer(store: store, person: try person.person(in: store), storePath: options.store.path)
            .perform(.trigger(flowPath: flow, inputs: try RunCommand.parseInputs(inputs)), reason: reason, run: true, runOptions: options)
    }
}

/// `ferry schedule pause FLOW` / `ferry schedule resume FLOW`.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Pause or resume a flow's schedule.", subcommands: [Pause.self, Resume.self])

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a flow's schedule (runs can still be triggered by hand).")
        @Argument(help: ArgumentHelp("The flow's name.", valueName: "flow")) var flow: String
        @Option(help: "Why, for the audit log.") var reason: String?
        @OptionGroup var person: OperatorOptionGroup
        @OptionGroup var store: StoreOptionGroup

        func run() async throws {
            let opened = try store.open()
            try await ActionPerformer(store: opened, person: try person.person(in: opened), storePath: store.path)
                .perform(.pauseSchedule(flow: flow), reason: reason, run: false, runOptions: nil)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a flow's paused schedule.")
        @Argument(help: ArgumentHelp("The flow's name.", valueName: "flow")) var flow: String
        @Option(help: "Why, for the audit log.") var reason: String?
        @OptionGroup var person: OperatorOptionGroup
        @OptionGroup var store: StoreOptionGroup

        func run() async throws {
            let opened = try store.open()
            try await ActionPerformer(store: opened, person: try person.person(in: opened), storePath: store.path)
                .perform(.resumeSchedule(flow: flow), reason: reason, run: false, runOptions: nil)
        }
    }
}
