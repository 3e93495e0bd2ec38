import Foundation
import Testing
@testable import FixtureSites

@Suite("Starting and stopping")
struct LifecycleTests {
    @Test("a port in use gives a clear error naming the option to change")
    func portInUse() async throws {
        try await withSites { _, endpoints in
            let port = try #require(endpoints.clinic.port)
            let second = FixtureServer(FixtureConfiguration(clinicPort: port))
            do {
                _ = try await second.start()
                Issue.record("a second clinic on port \(port) should not start")
                await second.stop()
            } catch let error as FixtureError {
                #expect(error.code == .portInUse)
                #expect(error.message == "port \(port) on 127.0.0.1 is in use: pick another with --clinic-port")
            }
            let ledgerPort = try #require(endpoints.ledger.port)
            let alone = FixtureServer(FixtureConfiguration(ledgerPort: ledgerPort))
            await #expect(throws: FixtureError(.portInUse, "port \(ledgerPort) on 127.0.0.1 is in use: pick another with --ledger-port")) {
                _ = try await alone.start(only: .ledger)
            }
        }
    }

    @Test("stop() closes both listening sockets, and the sites can start again")
    func stopClosesSockets() async throws {
        let sites = FixtureServer()
        let endpoints = try await sites.start()
        let ports = [endpoints.clinic.port ?? 0, endpoints.ledger.port ?? 0]
        for port in ports { #expect(await RawHTTP.isListening(port: port)) }
        _ = try await WebClient(endpoints.clinic).get("/login")  // leaves a keep-alive connection open
        await sites.stop()
        for port in ports { #expect(await !RawHTTP.isListening(port: port)) }

        let again = try await sites.start()
        #expect(try await WebClient(again.ledger).get("/login").status == 200)
        await #expect(throws: FixtureError.self) { _ = try await sites.start() }
        await sites.stop()
    }

    @Test("one site can run alone")
    func onlyOneSite() async throws {
        let sites = FixtureServer()
        let url = try await sites.start(only: .ledger)
        #expect(try await WebClient(url).get("/login").body.contains(#"id="user" name="user""#))
        await sites.stop()
    }

    @Test("a fixtures folder without templates is refused with a hint")
    func missingFixtures() async throws {
        let sites = FixtureServer(FixtureConfiguration(fixturesDirectory: "/tmp"))
        do {
            _ = try await sites.start()
            Issue.record("/tmp is not a fixtures folder")
            await sites.stop()
        } catch let error as FixtureError {
            #expect(error.code == .fixturesNotFound)
            #expect(error.message.contains("/tmp"))
        }
    }
}
