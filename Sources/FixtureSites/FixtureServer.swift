import Foundation
import Hummingbird
import Synchronization

/// The two bundled legacy web systems Ferry drives in tests and demos: the clinic portal (source)
/// and the ledger (destination), each an old-school server-rendered site on its own port.
///
/// ```swift
/// let sites = FixtureServer(FixtureConfiguration(seed: 42))
/// let endpoints = try await sites.start()   // both listening now
/// // drive endpoints.clinic and endpoints.ledger ...
/// await sites.stop()
/// ```
///
/// The fault switches and the ledger's entries live in this object, so they can be set before
/// ``start()`` and survive a restart; ``reset(_:)`` clears them.
public final class FixtureServer: Sendable {
    public let configuration: FixtureConfiguration
    /// The generator behind the clinic's data, for tests that compare pages with expected records.
    public let generator: AppointmentGenerator

    private let faults: [FixtureSite: FaultSwitches]
    private let sessions: [FixtureSite: SessionStore]
    private let ledgerStore: LedgerStore
    private let ledgerRecordsStore = LedgerRecords()
    private let shutdown = ShutdownSignal()
    private let servers = Mutex<[SiteServer]?>(nil)

    public init(_ configuration: FixtureConfiguration = .init()) {
        self.configuration = configuration
        self.generator = AppointmentGenerator(seed: configuration.seed)
        self.ledgerStore = LedgerStore(file: configuration.ledgerFile)
        self.faults = [.clinic: FaultSwitches(), .ledger: FaultSwitches()]
        self.sessions = [.clinic: SessionStore(), .ledger: SessionStore()]
    }

    /// Starts both sites concurrently and returns once both are listening.
    ///
    /// - Throws: ``FixtureError`` — `.portInUse` ("port 8081 on 127.0.0.1 is in use: pick another with
    ///   --clinic-port"), `.fixturesNotFound`, `.templateInvalid`, `.alreadyRunning`, `.ledgerFileUnreadable`.
    ///   When one site fails, the other is stopped again.
    public func start() async throws -> FixtureEndpoints {
        let urls = try await start(sites: [.clinic, .ledger])
        guard let clinic = urls[.clinic], let ledger = urls[.ledger] else {
            throw FixtureError(.serverFailed, "the sites did not report their addresses")
        }
        return FixtureEndpoints(clinic: clinic, ledger: ledger)
    }

    /// Starts one site alone (`ferry-fixtures --only clinic`); returns its base URL.
    public func start(only site: FixtureSite) async throws -> URL {
        let urls = try await start(sites: [site])
        guard let url = urls[site] else {
            throw FixtureError(.serverFailed, "the \(site) site did not report its address")
        }
        return url
    }

    /// Stops every running site: closes the listening sockets, ends hanging downloads and waits for
    /// requests in flight (a few seconds at most). Safe to call when nothing runs.
    public func stop() async {
        guard let running = servers.withLock({ servers -> [SiteServer]? in
            defer { servers = nil }
            return servers
        }) else { return }
        shutdown.set(true)
        await withTaskGroup(of: Void.self) { group in
            for server in running {
                group.addTask { await server.stop() }
            }
        }
    }

    /// Replaces the fault switches of `site` (the same as `POST /_control/faults`).
    public func setFaults(_ faults: FixtureFaults, site: FixtureSite) {
        self.faults[site]?.set(faults)
    }

    /// The current fault switches of `site`.
    public func faults(of site: FixtureSite) -> FixtureFaults {
        faults[site]?.current ?? .none
    }

    /// Clears the fault switches of `site` and, for the ledger, every entry (the same as
    /// `POST /_control/reset`).
    public func reset(_ site: FixtureSite) {
        faults[site]?.set(.none)
        if site == .ledger {
            ledgerStore.removeAll()
            ledgerRecordsStore.reset()
        }
    }

    /// Everything entered into the ledger so far, in order.
    public var ledgerEntries: [LedgerEntry] {
        ledgerStore.entries()
    }

    /// The ledger's records admin as it stands (the notes flows saved on them).
    public var ledgerRecords: [LedgerRecord] {
        ledgerRecordsStore.all
    }

    // MARK: Starting

    private func start(sites: [FixtureSite]) async throws -> [FixtureSite: URL] {
        let directory = try FixturesDirectory.resolve(configured: configuration.fixturesDirectory)
        if sites.contains(.ledger) { try ledgerStore.load() }
        var built: [SiteServer] = []
        for site in sites {
            let router = try await router(for: site, directory: directory)
            built.append(SiteServer(site: site, router: router, host: configuration.host, port: configuration.port(of: site)))
        }
        let claimed = servers.withLock { servers in
            guard servers == nil else { return false }
            servers = built
            return true
        }
        guard claimed else {
            throw FixtureError(.alreadyRunning, "the fixture sites are already running: call stop() first")
        }
        shutdown.set(false)

        let results = await withTaskGroup(of: (FixtureSite, Result<Int, any Error>).self) { group in
            for server in built {
                let site = server.site
                group.addTask {
                    do {
                        return (site, .success(try await server.start()))
                    } catch {
                        return (site, .failure(error))
                    }
                }
            }
            var results: [FixtureSite: Result<Int, any Error>] = [:]
            for await (site, result) in group { results[site] = result }
            return results
        }
        var urls: [FixtureSite: URL] = [:]
        for site in sites {
            switch results[site] {
            case .success(let port):
                urls[site] = URL(string: "http://\(urlHost):\(port)")
            case .failure(let error):
                await stop()
                throw error
            case nil:
                await stop()
                throw FixtureError(.serverFailed, "the \(site) site did not start")
            }
        }
        return urls
    }

    /// The host as it goes into a URL (IPv6 addresses in brackets).
    private var urlHost: String {
        configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
    }

    private func router(for site: FixtureSite, directory: String) async throws -> Router<BasicRequestContext> {
        let faults = self.faults[site] ?? FaultSwitches()
        let auth = SiteAuth(site: site, sessions: sessions[site] ?? SessionStore(), faults: faults)
        switch site {
        case .clinic:
            let templates = try await SiteTemplates.load(
                fixturesDirectory: directory, site: site, required: ClinicSite.requiredTemplates)
            return ClinicSite(templates: templates, auth: auth, faults: faults, generator: generator, shutdown: shutdown)
                .makeRouter()
        case .ledger:
            let templates = try await SiteTemplates.load(
                fixturesDirectory: directory, site: site, required: LedgerSite.requiredTemplates)
            return LedgerSite(templates: templates, auth: auth, faults: faults, store: ledgerStore, records: ledgerRecordsStore).makeRouter()
        }
    }
}
