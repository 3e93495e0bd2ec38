import _CryptoExtras
import Crypto
import Foundation

/// Salted, slow password hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored as
/// `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64), and compared in constant time.
///
///     let stored = try PasswordHasher().hash("correct horse")
///     PasswordHasher().verify("correct horse", against: stored)   // true
///
/// Related: RFC 8018 section 5.2; OWASP recommends at least 600,000 rounds of PBKDF2-SHA256.
public struct PasswordHasher: Sendable {
    public static let defaultRounds = 600_000
    /// Rounds for new hashes (tests may lower it; existing hashes keep the rounds they were made with).
    public var rounds: Int

    public init(rounds: Int = PasswordHasher.defaultRounds) {
        self.rounds = rounds
    }

    public func hash(_ password: String) throws(OperatorError) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let derived = try Self.derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether `password` matches `stored`; false for a malformed hash.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            let derived = try? Self.derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        return Self.constantTimeEqual(Array(expected), derived)
    }

    /// Compares without stopping at the first difference, so timing tells nothing about the content.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    public static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEqual(Array(lhs.utf8), Array(rhs.utf8))
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) throws(OperatorError) -> [UInt8] {
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw OperatorError(.invalidInput, "the password could not be hashed: \(error)")
        }
    }
}
