import Foundation
import Testing
@testable import Flows

/// `ferry schema` output, checked with a real JSON Schema validator (Python's jsonschema, draft-07).
@Suite("JSON Schema")
struct SchemaTests {
    private static let checkedIn = FlowFixtures.flowsDirectory.appendingPathComponent("flow.schema.json")

    @Test("the output is stable, and the copy in flows/ is up to date")
    func stable() throws {
        let schema = FlowSchema.json()
        #expect(schema == FlowSchema.json())
        if ProcessInfo.processInfo.environment["FERRY_UPDATE_SCHEMA"] == "1" {
            try schema.write(to: Self.checkedIn, atomically: true, encoding: .utf8)
        }
        let copy = try? String(contentsOf: Self.checkedIn, encoding: .utf8)
        #expect(copy == schema, "flows/flow.schema.json is out of date: run 'ferry schema > flows/flow.schema.json'")
    }

    @Test("every flow in flows/ validates against the schema")
    func examplesValidate() throws {
        let results = try JSONSchemaValidator.validate(files: FlowFixtures.exampleFlows)

        for (file, problem) in results {
            #expect(problem == nil, "\(file): \(problem ?? "")")
        }
        #expect(results.count == FlowFixtures.exampleFlows.count)
    }

    @Test("the schema rejects the broken flows whose mistake is one of shape, and says which it cannot see")
    func brokenFlows() throws {
        let paths = FlowFixtures.brokenFlows.map { FlowFixtures.brokenDirectory.appendingPathComponent($0).path }
        let results = try JSONSchemaValidator.validate(files: paths)

        for (path, problem) in results {
            guard let rejects = try BrokenFlow(path: path).schemaRejects else {
                Issue.record("\(path) has no '# schema:' line")
                continue
            }
            #expect((problem != nil) == rejects, "\((path as NSString).lastPathComponent): expected the schema to \(rejects ? "reject" : "accept") it\(problem.map { ", but: \($0)" } ?? "")")
        }
    }

    @Test("the schema knows every step kind, and nothing else")
    func stepKinds() {
        guard case .object(let root) = FlowSchema.document, case .object(let definitions)? = root["definitions"] else {
            Issue.record("no definitions")
            return
        }
        let stepDefinitions = definitions.keys.filter { $0.hasPrefix("step_") }.map { String($0.dropFirst(5)) }

        #expect(Set(stepDefinitions) == Set(StepKind.allCases.map(\.rawValue)))
    }
}

/// Runs Python's `jsonschema` (Debian: python3-jsonschema) on YAML files turned into JSON.
enum JSONSchemaValidator {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    private static let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("NO-JSONSCHEMA")
            sys.exit(3)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema)
        for case in json.load(open(sys.argv[2])):
            if case["instance"] is None:
                print(json.dumps([case["file"], "not YAML a schema can check"]))
                continue
            errors = sorted(validator.iter_errors(case["instance"]), key=lambda e: list(e.absolute_path))
            message = None
            if errors:
                best = jsonschema.exceptions.best_match(errors)
                message = "/".join(str(p) for p in best.absolute_path) + ": " + best.message[:300]
            print(json.dumps([case["file"], message]))
        """

    /// Each file with the validator's complaint, or nil when it validates.
    static func validate(files: [String]) throws -> [(String, String?)] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemaFile = directory.appendingPathComponent("flow.schema.json")
        try FlowSchema.json().write(to: schemaFile, atomically: true, encoding: .utf8)
        let cases = files.map { file in
            "{\"file\": \(SchemaJSON.quote(file)), \"instance\": \(YAMLToJSON.json(ofFile: file) ?? "null")}"
        }
        let casesFile = directory.appendingPathComponent("cases.json")
        try ("[" + cases.joined(separator: ",\n") + "]").write(to: casesFile, atomically: true, encoding: .utf8)
        let scriptFile = directory.appendingPathComponent("validate.py")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)

        let output = try runPython([scriptFile.path, schemaFile.path, casesFile.path])
        return try output.split(separator: "\n").map { line in
            guard let pair = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], let file = pair.first as? String else {
                throw Unavailable(description: "unexpected output from the validator: \(line)")
            }
            return (file, pair.last as? String)
        }
    }

    /// Debian's python3 first (where apt's python3-jsonschema lives), then whatever python3 is on PATH.
    private static func runPython(_ arguments: [String]) throws -> String {
        let candidates = ["/usr/bin/python3", "/usr/bin/env"]
        var lastProblem = "python3 was not found"
        for executable in candidates where FileManager.default.isExecutableFile(atPath: executable) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = executable.hasSuffix("env") ? ["python3"] + arguments : arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let output = String(decoding: data, as: UTF8.self)
            if process.terminationStatus == 0 { return output }
            lastProblem = output.contains("NO-JSONSCHEMA")
                ? "\(executable == "/usr/bin/env" ? "python3" : executable) has no jsonschema module"
                : "the validator failed: \(output)"
        }
        throw Unavailable(description: "cannot validate against the JSON Schema: \(lastProblem); install it with 'apt-get install python3-jsonschema'")
    }
}
