import Foundation
import Testing
@testable import Flows

/// One broken flow per kind of problem, in `Fixtures/broken/`. Each file says what `ferry validate`
/// must print for it, exactly, in its `# expect:` lines: `file:line:column: severity: message`.
@Suite("Broken flows")
struct BrokenFlowTests {
    @Test("each broken flow reports exactly its expected problems, at their line and column", arguments: FlowFixtures.brokenFlows)
    func reportsExpectedProblems(_ name: String) throws {
        let path = FlowFixtures.brokenDirectory.appendingPathComponent(name).path
        let expected = try BrokenFlow(path: path).expectedDiagnostics
        try #require(!expected.isEmpty, "\(name) has no '# expect:' lines")

        let check = FlowLoader.check(path: path)

        #expect(check.printedRelativeToBroken == expected)
    }

    @Test("every kind of problem has a broken flow, or a test that builds its input in code")
    func everyKindIsCovered() throws {
        let covered = Set(FlowFixtures.brokenFlows.flatMap { name in
            FlowLoader.check(path: FlowFixtures.brokenDirectory.appendingPathComponent(name).path).diagnostics.map(\.code)
        })
        // Made in code: a folder, bytes that are not text, files too big, deep or wide (LoaderSafetyTests, FuzzTests).
        let builtInCode: Set<DiagnosticCode> = [.unreadableFile, .notText, .fileTooLarge, .nestingTooDeep, .tooManyNodes, .tooManyProblems]
        let all: Set<DiagnosticCode> = [
            .unreadableFile, .fileTooLarge, .notText, .emptyFile, .tooManyProblems, .yamlSyntax, .multipleDocuments, .nestingTooDeep,
            .tooManyNodes, .yamlAlias, .yamlTag, .complexKey, .duplicateKey, .unknownKey, .missingKey, .wrongType,
            .invalidValue, .invalidName, .duplicateName, .unknownStep, .ambiguousStep, .invalidDuration, .invalidPattern,
            .captureMismatch, .undefinedSelector, .unusedSelector, .unusedValue, .invalidSelector, .invalidTemplate,
            .invalidCondition, .undefinedReference, .suspiciousText, .literalSecret, .secretExposed, .invalidPolicy,
            .unknownFile, .itemsMismatch, .includeFailed, .includeCycle, .includeConflict,
        ]
        #expect(all.subtracting(covered).subtracting(builtInCode).isEmpty, "no broken flow for \(all.subtracting(covered).subtracting(builtInCode))")
    }

    @Test("a secret written into the flow is never printed: not in messages, not in the source lines shown")
    func literalSecretsAreNeverPrinted() {
        let check = FlowLoader.check(path: FlowFixtures.brokenDirectory.appendingPathComponent("literal-secret.yaml").path)

        let printed = check.diagnostics.map { "\($0)\n\(check.snippet(for: $0) ?? "")" }.joined(separator: "\n")

        #expect(check.errors.count == 2)
        #expect(!printed.contains("hunter2"))
        #expect(!printed.contains("do-not-print"))
    }
}

/// A broken fixture and what it declares about itself.
struct BrokenFlow {
    let text: String

    init(path: String) throws {
        text = try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The `# expect:` lines.
    var expectedDiagnostics: [String] { comments(after: "# expect: ") }

    /// Whether the JSON Schema catches this mistake too (`# schema: rejects`), or only `ferry validate`
    /// does, because it needs the whole flow (`# schema: accepts`).
    var schemaRejects: Bool? {
        switch comments(after: "# schema: ").first {
        case "rejects": true
        case "accepts": false
        default: nil
        }
    }

    private func comments(after prefix: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
