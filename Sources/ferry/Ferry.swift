import ArgumentParser

/// The `ferry` command line: runs flows against legacy web systems and lets operators work their results.
@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Runs the daily chores of operations teams on legacy web systems, through a real browser.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, RunCommand.self, ResumeCommand.self, WorkerCommand.self, StatusCommand.self, RunsCommand.self, ShowCommand.self, ReportCommand.self, ItemsCommand.self, AuditCommand.self, ServeCommand.self, UsersCommand.self, RetryCommand.self, OverrideCommand.self, MarkDoneCommand.self, EscalateCommand.self, TriggerCommand.self, ScheduleCommand.self, DoctorCommand.self, CompareCommand.self, BenchCommand.self, ValidateCommand.self, SchemaCommand.self, ExtractCommand.self, ReadCommand.self, StoreCommand.self]
    )
}
