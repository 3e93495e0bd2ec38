import Foundation
import Store
import Testing

/// The sign-in throttle behaves the same on every store: per name and address, one audit row when a lock
/// starts refusing, the rest counted, and an unlock that reports them.
@Suite("The sign-in throttle, on both stores")
struct SignInThrottleTests {
    /// A whole second: the stores keep times to the millisecond.
    static var now: Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    @Test("failures past the limit lock the name at that address only; one audit row, refusals counted, unlock reports them",
          arguments: StoreBackend.tested)
    func lockAndUnlock(backend: StoreBackend) throws {
        let fixture = try StoreFixture(backend)
        let store = fixture.store
        let policy = SignInPolicy(failures: 3, successes: 30, window: 900)
        let now = Self.now

        for _ in 1...3 { #expect(try store.reserveSignInAttempt(name: "Alice", address: "10.0.0.9", policy: policy, now: now) == .allowed) }
        let until = now.addingTimeInterval(900)
        #expect(try store.reserveSignInAttempt(name: "alice", address: "10.0.0.9", policy: policy, now: now) == .refused(until: until))
        #expect(try store.reserveSignInAttempt(name: "ALICE", address: "10.0.0.9", policy: policy, now: now) == .refused(until: until))
        // Her own desk is another address: not locked.
        #expect(try store.reserveSignInAttempt(name: "alice", address: "10.0.0.2", policy: policy, now: now) == .allowed)

        #expect(try store.signInLocks(now: now) == [SignInLock(userName: "alice", address: "10.0.0.9", until: until, refused: 2)])
        let locked = try store.auditLog(entityType: "user", entityID: "alice", limit: 100).filter { $0.toState == "locked" }
        #expect(locked.count == 1)
        #expect(locked.first?.reason?.contains("3 failed attempts from 10.0.0.9") == true, "\(locked)")

        #expect(try store.unlockSignIn(name: "alice", actor: "operator:root", origin: [:]) == 1)
        let unlocked = try #require(try store.auditLog(entityType: "user", entityID: "alice", limit: 100).last)
        #expect(unlocked.reason == "sign-in unlocked: 2 attempts refused while locked")
        #expect(try store.reserveSignInAttempt(name: "alice", address: "10.0.0.9", policy: policy, now: now) == .allowed)
    }

    @Test("more successful sign-ins than the policy allows are refused, with one audit row", arguments: StoreBackend.tested)
    func tooManySuccesses(backend: StoreBackend) throws {
        let store = try StoreFixture(backend).store
        let policy = SignInPolicy(failures: 3, successes: 2, window: 900)
        let now = Self.now
        #expect(try store.recordSignInSuccess(name: "bob", address: "10.0.0.3", policy: policy, now: now) == .allowed)
        #expect(try store.recordSignInSuccess(name: "bob", address: "10.0.0.3", policy: policy, now: now) == .allowed)
        #expect(try store.recordSignInSuccess(name: "bob", address: "10.0.0.3", policy: policy, now: now) == .refused(until: now.addingTimeInterval(900)))
        #expect(try store.recordSignInSuccess(name: "bob", address: "10.0.0.3", policy: policy, now: now) != .allowed)
        let locked = try store.auditLog(entityType: "user", entityID: "bob", limit: 100).filter { $0.toState == "locked" }
        #expect(locked.map(\.reason) == ["sign-in refused: more than 2 sign-ins from 10.0.0.3 in 15 minutes"])
    }

    @Test("a lock that has passed starts afresh, and its refusals go to the audit log once", arguments: StoreBackend.tested)
    func expiredLock(backend: StoreBackend) throws {
        let store = try StoreFixture(backend).store
        let policy = SignInPolicy(failures: 1, successes: 30, window: 60)
        let now = Self.now
        _ = try store.reserveSignInAttempt(name: "carol", address: "a", policy: policy, now: now)
        for _ in 1...3 { _ = try store.reserveSignInAttempt(name: "carol", address: "a", policy: policy, now: now) }
        let later = now.addingTimeInterval(61)
        #expect(try store.reserveSignInAttempt(name: "carol", address: "a", policy: policy, now: later) == .allowed)
        let expired = try store.auditLog(entityType: "user", entityID: "carol", limit: 100).filter { $0.fromState == "locked" }
        #expect(expired.map(\.reason) == ["sign-in lock expired: 3 attempts from a were refused while locked"])
    }
}
