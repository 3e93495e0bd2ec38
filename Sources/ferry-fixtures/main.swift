// ferry-fixtures: runs the bundled legacy web systems (clinic portal and ledger) until SIGINT/SIGTERM.
import ArgumentParser
import FixtureSites
import Foundation

/// `ferry-fixtures [--clinic-port 8081] [--ledger-port 8082] [--seed 42] [--fixtures-dir PATH] [--only clinic|ledger]`
struct FerryFixtures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-fixtures",
        abstract: "Run Ferry's legacy fixture sites: the clinic portal (source) and the ledger (destination).",
        discussion: "Both sites listen on 127.0.0.1 until Ctrl-C or SIGTERM. See fixtures/README.md for pages and fault switches."
    )

    @Option(name: .long, help: "Port of the clinic portal (0 picks a free port).")
    var clinicPort: Int = 8081

    @Option(name: .long, help: "Port of the ledger (0 picks a free port).")
    var ledgerPort: Int = 8082

    @Option(name: .long, help: "Seed of the generated clinic data.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Folder with the clinic/ and ledger/ templates (default: $FERRY_FIXTURES_DIR, then the checkout's fixtures/).")
    var fixturesDir: String?

    @Option(name: .long, help: "Run one site alone: clinic or ledger.")
    var only: FixtureSite?

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    func validate() throws {
        for (name, port) in [("--clinic-port", clinicPort), ("--ledger-port", ledgerPort)] where !(0...65535).contains(port) {
            throw ValidationError("\(name) must be between 0 and 65535.")
        }
    }

    func run() async throws {
        let sites = FixtureServer(
            FixtureConfiguration(
                host: host, clinicPort: clinicPort, ledgerPort: ledgerPort, seed: seed, fixturesDirectory: fixturesDir))
        let stopRequested = Self.terminationSignals()
        do {
            if let only {
                let url = try await sites.start(only: only)
                say("\(only.displayName): \(url.absoluteString)")
                printCredentials(for: [only])
            } else {
                let endpoints = try await sites.start()
                say("Clinic portal: \(endpoints.clinic.absoluteString)")
                say("Ledger: \(endpoints.ledger.absoluteString)")
                printCredentials(for: FixtureSite.allCases)
            }
        } catch let error as FixtureError {
            FileHandle.standardError.write(Data("ferry-fixtures: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        say("Press Ctrl-C to stop.")
        for await _ in stopRequested { break }
        say("Stopping...")
        await sites.stop()
    }

    private func printCredentials(for sites: [FixtureSite]) {
        if sites.contains(.clinic) {
            say("Clinic login: \(FixtureCredentials.clinicUser) / \(FixtureCredentials.clinicPassword)")
        }
        if sites.contains(.ledger) {
            say("Ledger login: \(FixtureCredentials.ledgerUser) / \(FixtureCredentials.ledgerPassword)")
        }
        say("Data seed: \(seed)")
    }

    /// Writes a line to stdout unbuffered, so a parent process reading the URLs sees them at once.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// SIGINT and SIGTERM as an async stream (the default handlers are switched off so the sites can
    /// shut down gracefully).
    private static func terminationSignals() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "ferry-fixtures.signals")
            nonisolated(unsafe) let sources = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            continuation.onTermination = { _ in sources.forEach { $0.cancel() } }
        }
    }
}

extension FixtureSite: ExpressibleByArgument {}

extension FerryFixtures {
    /// `AsyncParsableCommand.main()` spelled out: top-level code in main.swift cannot use `@main`.
    static func launch() async {
        do {
            let parsed = try parseAsRoot()
            guard let command = parsed as? FerryFixtures else {
                var other = parsed
                try other.run()
                return
            }
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }
}

await FerryFixtures.launch()
