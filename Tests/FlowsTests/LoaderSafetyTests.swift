import Foundation
import Testing
@testable import Flows

/// Hostile or broken files end in clear errors, never a crash, a hang or all the memory.
@Suite("Loader safety")
struct LoaderSafetyTests {
    private func problems(_ bytes: [UInt8], limits: LoadLimits = .standard) -> [FlowDiagnostic] {
        FlowLoader(limits: limits).check(bytes: bytes, path: "hostile.yaml").diagnostics
    }

    @Test("a file over the size limit is refused before it is parsed")
    func sizeCap() {
        let huge = [UInt8](repeating: UInt8(ascii: "#"), count: LoadLimits.standard.maximumFileSize + 1)

        #expect(problems(huge).map(\.description) == [
            "hostile.yaml:1:1: error: the file is \(huge.count) bytes, over the 1048576-byte limit for flow files; is it a flow file?",
        ])
    }

    @Test("a file on disk over the size limit is not read whole")
    func sizeCapOnDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-huge-\(UUID().uuidString).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 2_000_000)))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let check = FlowLoader.check(path: path)

        #expect(check.diagnostics.map(\.code) == [.fileTooLarge])
    }

    @Test("binary garbage is reported as not text, with where")
    func binary() {
        let garbage: [UInt8] = [0x66, 0x6C, 0x6F, 0x77, 0x3A, 0x20, 0xFF, 0xFE, 0x00, 0x01]

        #expect(problems(garbage).map(\.description) == [
            "hostile.yaml:1:7: error: the file is not UTF-8 text (byte 7); save it as UTF-8, or check it is a flow file",
        ])
    }

    @Test("control characters in valid UTF-8 are reported as not text")
    func controlCharacters() {
        #expect(problems(Array("flow: a\u{0}b\n".utf8)).map(\.code) == [.notText])
    }

    @Test("a folder is not a flow file")
    func folder() {
        let check = FlowLoader.check(path: FlowFixtures.brokenDirectory.path)

        #expect(check.diagnostics.map(\.message) == ["this is a folder, not a flow file"])
        #expect(check.diagnostics.map(\.code) == [.unreadableFile])
    }

    @Test("a missing file says so")
    func missing() {
        #expect(FlowLoader.check(path: "no/such/flow.yaml").diagnostics.map(\.description) == ["no/such/flow.yaml:1:1: error: no such file"])
    }

    @Test("100 000 nested lists stop at the depth limit, without recursing into them", .timeLimit(.minutes(1)))
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)

        let diagnostics = problems(Array(deep.utf8))

        #expect(diagnostics.map(\.description) == [
            "hostile.yaml:1:1026: error: lists and mappings nest deeper than 64 levels here; a flow never needs that many",
        ])
    }

    @Test("deeply nested block mappings stop at the depth limit too")
    func deepBlockNesting() {
        let deep = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")

        #expect(problems(Array(deep.utf8)).map(\.code) == [.nestingTooDeep])
    }

    @Test("a billion laughs is refused at its first alias, nothing expanded", .timeLimit(.minutes(1)))
    func billionLaughs() throws {
        let bomb = try String(contentsOf: FlowFixtures.fuzzDirectory.appendingPathComponent("billion-laughs.yaml"), encoding: .utf8)

        let started = ContinuousClock.now
        let diagnostics = problems(Array(bomb.utf8))

        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(diagnostics.map(\.description) == [
            "hostile.yaml:4:11: error: YAML aliases ('*a') are not supported in flows; share stages with 'include:' and write the value out here (90 aliases in this file)",
        ])
    }

    @Test("an alias used as a mapping key cannot make the composer hash an expanded tree", .timeLimit(.minutes(1)))
    func aliasAsKey() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "? *l9\n: boom\n"

        let codes = Set(problems(Array(yaml.utf8)).map(\.code))

        #expect(codes == [.yamlAlias, .complexKey] || codes == [.yamlAlias])
    }

    @Test("more nodes than the limit are refused")
    func tooManyNodes() {
        let wide = "flow: [" + Array(repeating: "x", count: 200).joined(separator: ", ") + "]"

        let diagnostics = problems(Array(wide.utf8), limits: LoadLimits(maximumNodes: 100))

        #expect(diagnostics.map(\.message) == ["the file holds more than 100 YAML values; split the flow with 'include:'"])
    }

    @Test("a file with many problems reports them all, up to a cap")
    func manyProblems() {
        let yaml = (0..<300).map { _ in "same: key" }.joined(separator: "\n")

        #expect(problems(Array(yaml.utf8)).count == YAMLGate.maximumDiagnostics)
    }

    @Test("tabs in the indentation get a hint")
    func tabs() {
        let yaml = "flow: x\nstages:\n\t- name: a\n"

        #expect(problems(Array(yaml.utf8)).map(\.message) == ["invalid YAML: tabs are not allowed for indentation; indent with spaces"])
    }
}
