import ArgumentParser

/// Benchmarks that print figures as ratios against a baseline measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Ferry against baselines measured in the same run; prints medians and ratios.",
        subcommands: [WebDriverBenchCommand.self, ExtractBenchCommand.self, TableBenchCommand.self, StoreBenchCommand.self]
    )
}
