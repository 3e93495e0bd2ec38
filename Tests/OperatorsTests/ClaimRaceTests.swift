import Foundation
import Operators
import Store
import Testing

@Suite("A person and a worker cannot both take an item")
struct ClaimRaceTests {
    @Test("mark-done racing a worker's claim on a new item: exactly one of them gets it, every time")
    func markDoneAgainstClaim() async throws {
        for trial in 1...30 {
            let fixture = try OperatorsFixture()
            let id: Int64 = 4  // A-4 is new
            let actions = fixture.actions
            let store = fixture.store
            async let claimed: WorkItem? = Task.detached {
                try store.claimItem(runID: "run-1", worker: "worker:9", leaseExpiredBefore: Date(timeIntervalSince1970: 0))
            }.value
            async let marked: Bool = Task.detached {
                do {
                    _ = try actions.perform(.markDone(id), by: OperatorsFixture.alice, reason: "entered by hand")
                    return true
                } catch let error as OperatorError {
                    #expect(error.code == .wrongState, "trial \(trial): \(error)")
                    #expect(error.message.contains("processing"), "trial \(trial): \(error.message)")
                    return false
                }
            }.value
            let (claim, done) = try await (claimed, marked)
            let final = try fixture.item(id)
            if done {
                // The person won: the worker must not have the item.
                #expect(claim?.id != id, "trial \(trial): both took item \(id)")
                #expect(final.state == .done, "trial \(trial)")
            } else {
                #expect(claim?.id == id, "trial \(trial)")
                #expect(final.state == .processing, "trial \(trial)")
            }
            let changes = try fixture.audit(item: id).map { "\($0.fromState ?? "")→\($0.toState ?? "")" }
            #expect(!changes.contains("processing→done"), "trial \(trial): \(changes)")
        }
    }

    @Test("the store refuses a transition from a state not allowed, and writes no audit row")
    func compareAndSet() throws {
        let fixture = try OperatorsFixture()
        let before = try fixture.auditCount()
        #expect(throws: OperatorError.self) {
            try fixture.actions.perform(.retryItem(1), by: OperatorsFixture.alice, reason: nil)  // A-1 is done
        }
        #expect(try fixture.auditCount() == before)
        #expect(try fixture.item(1).state == .done)
    }
}
