import Foundation
import Testing
@testable import Flows

/// Random mutations of the example flows, random bytes and the hostile corpus in `Fixtures/fuzz/`:
/// every input ends in a valid flow or in clear errors with a place, quickly.
@Suite("Fuzzing the loader")
struct FuzzTests {
    /// Every outcome the loader may have: a flow without errors, or errors saying where.
    private func expectWellFormed(_ check: FlowCheck, _ input: @autoclosure () -> String) {
        let valid = check.flow != nil && check.errors.isEmpty
        #expect(valid || !check.errors.isEmpty, "neither a flow nor errors for \(input())")
        for diagnostic in check.diagnostics {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "bad position in \(diagnostic)")
            #expect(!diagnostic.message.isEmpty)
        }
    }

    @Test("400 mutations of the example flows end in a flow or in errors, within seconds", .timeLimit(.minutes(1)))
    func mutations() throws {
        let seeds = FlowFixtures.exampleFlows.map { path in (path, [UInt8](FileManager.default.contents(atPath: path) ?? Data())) }
        try #require(!seeds.isEmpty)
        var mutator = FlowMutator(random: SplitMix64(seed: 0x0F1E_2D3C_4B5A_6978))
        let loader = FlowLoader()

        let started = ContinuousClock.now
        var outcomes = (valid: 0, invalid: 0)
        for round in 0..<400 {
            let (path, bytes) = seeds[round % seeds.count]
            let mutated = mutator.mutate(bytes)
            let check = loader.check(bytes: mutated, path: path)
            expectWellFormed(check, "round \(round) of \(path)")
            if check.isValid { outcomes.valid += 1 } else { outcomes.invalid += 1 }
        }

        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(outcomes.invalid > 100, "the mutations should break most flows")
    }

    @Test("random bytes end in errors", .timeLimit(.minutes(1)))
    func garbage() {
        var random = SplitMix64(seed: 42)
        for round in 0..<100 {
            let bytes = (0..<Int.random(in: 0...2048, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let check = FlowLoader().check(bytes: bytes, path: "garbage-\(round).yaml")
            expectWellFormed(check, "garbage round \(round)")
            #expect(!check.isValid)
        }
    }

    @Test("the hostile corpus ends in errors", arguments: FlowFixtures.yamlFiles(in: FlowFixtures.fuzzDirectory))
    func corpus(_ path: String) {
        let check = FlowLoader.check(path: path)

        expectWellFormed(check, path)
        #expect(!check.isValid)
    }

    @Test("generated worst cases end in errors quickly", .timeLimit(.minutes(1)))
    func generated() {
        let cases: [String: String] = [
            "deep flow lists": String(repeating: "[", count: 50_000),
            "deep flow mappings": String(repeating: "{a: ", count: 50_000),
            "deep block lists": String(repeating: "- ", count: 50_000) + "x",
            "long line": "flow: " + String(repeating: "x", count: 900_000),
            "many keys": "flow: x\n" + (0..<20_000).map { "k\($0): v" }.joined(separator: "\n"),
            "deep conditions": "flow: x\ndescription: y\nstages:\n  - name: s\n    if: \"" + String(repeating: "not ", count: 500) + "true\"\n    steps:\n      - goto: http://a\n",
            "deep loops": "flow: x\ndescription: y\nstages:\n  - name: s\n    steps:\n" + (0..<40).map { String(repeating: "  ", count: $0 * 2 + 3) + "- for_each:\n" + String(repeating: "  ", count: $0 * 2 + 4) + "in: x\n" + String(repeating: "  ", count: $0 * 2 + 4) + "steps:" }.joined(separator: "\n") + "\n",
            "long template": "flow: x\ndescription: y\nstages:\n  - name: s\n    steps:\n      - goto: \"" + String(repeating: "${inputs.a}", count: 20_000) + "\"\n",
        ]
        let started = ContinuousClock.now
        for (name, text) in cases.sorted(by: { $0.key < $1.key }) {
            let check = FlowLoader().check(text: text, path: "\(name).yaml")
            expectWellFormed(check, name)
            #expect(!check.isValid, "\(name) should not be a valid flow")
        }
        // A bound on "did not hang" (a quadratic loader takes minutes here), not a speed figure: the
        // suite shares two cores with Chromium, so it is generous.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test("a file with thousands of problems reports the first 200 and how many more")
    func problemCap() {
        let check = FlowLoader().check(text: "flow: x\n" + (0..<1000).map { "k\($0): v" }.joined(separator: "\n"), path: "keys.yaml")

        #expect(check.diagnostics.count == FlowLoader.maximumDiagnostics + 1)
        #expect(check.diagnostics.last?.message == "802 more problems are not shown; fix these first")
    }
}
