import Foundation
@testable import Flows

/// Where the test data lives: found from this file's path, so tests run from any working directory.
enum FlowFixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")
    static let brokenDirectory = fixturesDirectory.appendingPathComponent("broken")
    static let fuzzDirectory = fixturesDirectory.appendingPathComponent("fuzz")
    static let packageDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let flowsDirectory = packageDirectory.appendingPathComponent("flows").resolvingSymlinksInPath()

    /// Every `.yaml` file under a folder, sorted, as paths.
    static func yamlFiles(in directory: URL, recursive: Bool = true) -> [String] {
        let manager = FileManager.default
        let paths = recursive
            ? (manager.enumerator(atPath: directory.path)?.allObjects as? [String] ?? [])
            : (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        return paths.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// The example flows in `flows/`, fragments included.
    static var exampleFlows: [String] { yamlFiles(in: flowsDirectory) }

    /// The broken flows, one per kind of problem (fragments they include live in `fragments/`).
    static var brokenFlows: [String] {
        yamlFiles(in: brokenDirectory, recursive: false).map { ($0 as NSString).lastPathComponent }
    }
}

/// Checking YAML written in a test, as if it were a file next to the broken fixtures.
enum FlowText {
    static func check(_ yaml: String, limits: LoadLimits = .standard) -> FlowCheck {
        FlowLoader(limits: limits).check(text: yaml, path: FlowFixtures.brokenDirectory.appendingPathComponent("inline.yaml").path)
    }

    /// The diagnostics as `line:column: severity: message`, the file left out.
    static func problems(_ yaml: String) -> [String] {
        check(yaml).diagnostics.map { "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)" }
    }

    /// Only the errors' messages.
    static func errors(_ yaml: String) -> [String] {
        check(yaml).errors.map(\.message)
    }
}

extension FlowCheck {
    /// The diagnostics as the CLI prints them, with the broken-fixtures folder left out of every path.
    var printedRelativeToBroken: [String] {
        let prefix = FlowFixtures.brokenDirectory.path + "/"
        return diagnostics.map { $0.description.replacingOccurrences(of: prefix, with: "") }
    }
}
