import Engine
import FixtureSites
import Foundation
import Store
import Testing

@Suite("The daily sync, end to end in real Chromium", .serialized)
struct DailySyncTests {
    @Test("copies every attended appointment into the Ledger once, amounts exact; the unbilled, the unknown patient and the double booking wait for review")
    func dailySync() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }

        let outcome = try await harness.run()

        #expect(outcome.run.state == .needsReview)
        #expect(outcome.exitCode == 2)
        let items = try harness.store.items(runID: outcome.run.id, states: [])
        let done = items.filter { $0.state == .done }
        let review = items.filter { $0.state == .needsReview }
        #expect(done.count > 5)
        #expect(review.count == 3)
        let day = harness.fixtures.generator.day(try #require(ClinicDate(EngineHarness.quietDay)))
        let flagged = day.flagged
        let reasons = Dictionary(uniqueKeysWithValues: review.map { ($0.key, $0.lastError ?? "") })
        #expect(reasons[flagged.missingAmountAppointmentID]?.contains("Billing line \(flagged.missingAmountInvoice) has no usable amount") == true)
        #expect(reasons[flagged.unknownPatientAppointmentID]?.contains("Patient P-99999 is not in the clinic's registry") == true)
        let (original, copy) = (flagged.duplicateAppointmentIDs[0], flagged.duplicateAppointmentIDs[1])
        #expect(reasons[copy]?.contains("looks like a double booking") == true)
        #expect(reasons[copy]?.hasSuffix("as \(original))") == true)
        #expect(done.contains { $0.key == original })
        let entered = harness.fixtures.ledgerEntries.map(\.appointmentID)
        #expect(entered.sorted() == done.map(\.key).sorted())
        // What reached the Ledger is what the clinic billed, to the cent, for the right patient.
        let billed = Dictionary(uniqueKeysWithValues: day.billingLines.map { ($0.appointmentID, $0) })
        for entry in harness.fixtures.ledgerEntries {
            #expect(entry.amountCents == billed[entry.appointmentID]?.amountCents, "\(entry.appointmentID)")
            #expect(entry.patient == billed[entry.appointmentID]?.patientName, "\(entry.appointmentID)")
            #expect(entry.date == EngineHarness.quietDay)
        }
        let gates = try harness.store.auditLog(entityType: "gate", entityID: nil, limit: 50)
        #expect(Set(gates.map(\.entityID)) == Set(["export_complete", "billing_lines_complete", "billing_adds_up", "daily_volume"].map { "\(outcome.run.id)/\($0)" }))
        #expect(gates.allSatisfy { $0.toState == "passed" })
        #expect(try harness.store.verifyAuditLog().isIntact)
        #expect(try harness.store.artifacts(runID: outcome.run.id).filter { $0.kind == .download }.count == 2)
    }

    @Test("a second run of the same day adds nothing to the Ledger: each item finds its entry and stops")
    func idempotentRerun() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        _ = try await harness.run()
        let before = harness.fixtures.ledgerEntries.count

        let again = try await harness.run()

        #expect(harness.fixtures.ledgerEntries.count == before)
        #expect(try harness.store.items(runID: again.run.id, states: [.done]).count == before)
    }

    @Test("a truncated export stops the run at its reconciliation gate, before anything reaches the Ledger")
    func truncatedExport() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(exportDropsRows: 2), site: .clinic)
        let listed = harness.fixtures.generator.day(try #require(ClinicDate(EngineHarness.quietDay))).appointments.count

        let outcome = try await harness.run()

        #expect(outcome.run.state == .failed)
        #expect(outcome.exitCode == 1)
        let failure = outcome.run.failure ?? ""
        #expect(failure.contains("stage 'process'"))
        #expect(failure.contains("gate 'export_complete'"))
        #expect(failure.contains("count of appointments = \(listed - 2), but count of listed = \(listed) (difference -2)"))
        #expect(failure.contains("before anything was uploaded"))
        #expect(harness.fixtures.ledgerEntries.isEmpty)
        #expect(try harness.store.items(runID: outcome.run.id, states: []).isEmpty)
        let gate = try #require(try harness.store.auditLog(entityType: "gate", entityID: "\(outcome.run.id)/export_complete", limit: 5).first)
        #expect(gate.toState == "failed")
        let figures = try JSONDecoder().decode([String: String].self, from: Data((gate.payload ?? "{}").utf8))
        #expect(figures["figure"] == String(listed - 2))
        #expect(figures["count of listed"] == String(listed))
        #expect(try harness.store.verifyAuditLog().isIntact)
    }

    @Test("with intermittent 500s, an expiring session and slow pages, the sync still completes")
    func faults() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(slowMs: 30, error500Every: 11, sessionExpiryAfter: 25), site: .ledger)
        harness.fixtures.setFaults(FixtureFaults(error500Every: 7, sessionExpiryAfter: 6), site: .clinic)

        let outcome = try await harness.run()

        #expect(outcome.run.state == .needsReview, "\(outcome.run.failure ?? "")")
        let done = try harness.store.items(runID: outcome.run.id, states: [.done]).map(\.key)
        #expect(harness.fixtures.ledgerEntries.map(\.appointmentID).sorted() == done.sorted())
        #expect(Set(harness.fixtures.ledgerEntries.map(\.appointmentID)).count == harness.fixtures.ledgerEntries.count)
    }

    @Test("a renamed button the flow has a fallback for: the run goes on and records the drift")
    func drift() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(renamedButton: true), site: .clinic)

        let outcome = try await harness.run()

        #expect(outcome.run.state != .failed, "\(outcome.run.failure ?? "")")
        let drift = try harness.store.auditLog(entityType: "selector", entityID: "clinic.login.submit", limit: 10)
        #expect(!drift.isEmpty)
        #expect(drift.first?.reason?.contains("fallback") == true)
    }

    @Test("a renamed button with no fallback fails fast, naming the step and selector, with a screenshot")
    func brokenSelector() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        harness.fixtures.setFaults(FixtureFaults(renamedButton: true), site: .clinic)
        let started = ContinuousClock.now

        let outcome = try await harness.run(EngineHarness.testFlow("login-without-fallback.yaml"))

        #expect(outcome.run.state == .failed)
        #expect(ContinuousClock.now - started < .seconds(30))
        let failure = try #require(outcome.run.failure)
        #expect(failure.contains("selector clinic.login.submit"))
        #expect(failure.contains("login-without-fallback.yaml:"))
        let evidence = outcome.artifacts.filter { $0.kind == .screenshot }
        #expect(!evidence.isEmpty)
        #expect(evidence.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
        #expect(failure.contains(evidence[0].path))
    }

    @Test("a planted secret appears in no log line, audit row, saved page, error, report or store file")
    func secretsNeverLeak() async throws {
        let harness = try await EngineHarness()
        defer { Task { await harness.stop() } }
        let secret = "Planted-Secret-\(UUID().uuidString.prefix(8))"

        let outcome = try await harness.run(EngineHarness.dailySync, harness.options(password: secret))

        #expect(outcome.run.state == .failed)  // the clinic refuses the wrong password
        #expect(!(outcome.run.failure ?? "").contains(secret))
        #expect(!harness.log.all.isEmpty)
        #expect(!harness.log.all.contains { $0.contains(secret) })
        let audit = try harness.store.auditLog(entityType: nil, entityID: nil, limit: 100_000)
        #expect(!audit.contains { ($0.reason ?? "").contains(secret) || ($0.payload ?? "").contains(secret) })
        let files = harness.allFiles()
        #expect(files.contains { $0.hasSuffix(".html") })  // the failure's page source was saved...
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")  // ...and holds no secret
        }
    }
}
