import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// One running Hummingbird application in its own service group, so it can be started and shut
/// down gracefully on its own (no signal handling: the caller decides when to stop).
final class SiteServer: Sendable {
    let site: FixtureSite
    private let group: ServiceGroup
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let signal = StartupSignal()
    private let requestedPort: Int
    private let host: String

    /// How long graceful shutdown may take before open connections are cancelled.
    static let shutdownGrace: Duration = .seconds(3)

    init(site: FixtureSite, router: Router<BasicRequestContext>, host: String, port: Int) {
        self.site = site
        self.host = host
        self.requestedPort = port
        var logger = Logger(label: "ferry.fixtures.\(site)")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let signal = self.signal
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Apache/1.3.27 (Unix)"),
            onServerRunning: { channel in signal.succeed(port: channel.localAddress?.port ?? port) },
            logger: logger
        )
        var configuration = ServiceGroupConfiguration(services: [application], logger: logger)
        configuration.maximumGracefulShutdownDuration = Self.shutdownGrace
        self.group = ServiceGroup(configuration: configuration)
    }

    /// Starts listening; returns the bound port. Throws ``FixtureError`` with code `.portInUse` when
    /// the port is taken.
    func start() async throws -> Int {
        let group = self.group
        let signal = self.signal
        let runner = Task {
            do {
                try await group.run()
                signal.fail(FixtureError(.serverFailed, "the \(self.site) server stopped before it listened"))
            } catch {
                signal.fail(error)
            }
        }
        task.withLock { $0 = runner }
        do {
            return try await signal.wait()
        } catch {
            throw describe(error)
        }
    }

    /// Shuts down gracefully: closes the listening socket, lets requests in flight finish (up to
    /// ``shutdownGrace``), then returns.
    func stop() async {
        guard let runner = task.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
        await runner.value
    }

    private func describe(_ error: any Error) -> any Error {
        if let error = error as? FixtureError { return error }
        if let io = error as? IOError, io.errnoCode == EADDRINUSE {
            return FixtureError(
                .portInUse, "port \(requestedPort) on \(host) is in use: pick another with \(site.portOption)")
        }
        return FixtureError(.serverFailed, "the \(site) server could not listen on \(host):\(requestedPort): \(error)")
    }
}
