import Foundation

/// Reads a file and its includes, and merges them into one ``Flow``.
///
/// An `include:` names a fragment file relative to the including file. Its stages take the place of
/// the `include:`; its selectors and secrets join the flow's, and a name defined twice must be defined
/// the same way; its inputs join too, the including file's declaration winning (to change a default).
/// Cycles and over-deep nesting are errors.
struct FlowAssembler {
    let limits: LoadLimits
    private(set) var diagnostics: [FlowDiagnostic] = []
    /// The bytes of every file read, for snippets in messages.
    private(set) var sources: [String: [UInt8]] = [:]
    private var documents: [String: FlowDocument?] = [:]

    init(limits: LoadLimits) {
        self.limits = limits
    }

    /// The merged flow of a file, or nil when it could not be decoded at all. `bytes` stands in for the
    /// file's contents when given (includes are still read from disk).
    mutating func assemble(path: String, bytes: [UInt8]? = nil) -> Flow? {
        guard let document = document(at: path, bytes: bytes) else { return nil }
        var merged = Merged(root: path)
        merged.add(document, diagnostics: &diagnostics)
        var stages: [Stage] = []
        expand(document, path: path, chain: [path], into: &stages, merged: &merged)
        assignSessions(&stages)
        return Flow(
            kind: document.kind, name: document.name, description: document.description, inputs: merged.inputs,
            secrets: merged.secrets, selectors: merged.selectors, defaults: document.defaults, schedule: document.schedule, stages: stages,
            includedFiles: merged.files, location: SourceLocation(file: path, line: 1, column: 1))
    }

    // MARK: Reading

    private mutating func document(at path: String, bytes given: [UInt8]?) -> FlowDocument? {
        if let cached = documents[path] { return cached }
        let document = read(path, bytes: given)
        documents[path] = .some(document)
        return document
    }

    private mutating func read(_ path: String, bytes given: [UInt8]?) -> FlowDocument? {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let bytes: [UInt8]
        if let given {
            bytes = given
        } else {
            switch Self.readFile(path, limit: limits.maximumFileSize) {
            case .success(let read): bytes = read
            case .failure(let problem):
                diagnostics.append(FlowDiagnostic(.error, problem.code, at: start, problem.message))
                return nil
            }
        }
        guard bytes.count <= limits.maximumFileSize else {
            diagnostics.append(FlowDiagnostic(
                .error, .fileTooLarge, at: start,
                "the file is \(bytes.count) bytes, over the \(limits.maximumFileSize)-byte limit for flow files; is it a flow file?"))
            return nil
        }
        sources[path] = bytes
        let (root, problems) = YAMLReader.read(bytes, file: path, limits: limits)
        diagnostics += problems
        guard let root else {
            if problems.isEmpty {
                diagnostics.append(FlowDiagnostic(.error, .emptyFile, at: start, "the file is empty; a flow starts with 'flow: NAME'"))
            }
            return nil
        }
        let decoder = FlowDecoder(file: path)
        let document = decoder.document(root)
        diagnostics += decoder.diagnostics
        return document
    }

    struct ReadProblem: Error {
        var code: DiagnosticCode
        var message: String
    }

    /// A file's bytes, refusing directories and anything over the limit without reading it all.
    static func readFile(_ path: String, limit: Int) -> Result<[UInt8], ReadProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadProblem(code: .unreadableFile, message: "no such file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(ReadProblem(code: .unreadableFile, message: "this is a folder, not a flow file"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ReadProblem(code: .unreadableFile, message: "the file cannot be read (check its permissions)"))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                return .failure(ReadProblem(code: .fileTooLarge, message: "the file is over the \(limit)-byte limit for flow files; is it a flow file?"))
            }
            return .success([UInt8](data))
        } catch {
            return .failure(ReadProblem(code: .unreadableFile, message: "the file cannot be read: \(error.localizedDescription)"))
        }
    }

    // MARK: Includes

    private mutating func expand(_ document: FlowDocument, path: String, chain: [String], into stages: inout [Stage], merged: inout Merged) {
        for entry in document.stages {
            switch entry {
            case .stage(let stage):
                stages.append(stage)
            case .include(let relative, let location):
                let target = Self.resolve(relative, from: path)
                if chain.contains(target) {
                    let cycle = (chain.drop { $0 != target } + [target]).joined(separator: " → ")
                    diagnostics.append(FlowDiagnostic(.error, .includeCycle, at: location, "'\(relative)' includes itself: \(cycle)"))
                    continue
                }
                guard chain.count <= limits.maximumIncludeDepth else {
                    diagnostics.append(FlowDiagnostic(.error, .includeFailed, at: location, "includes nest deeper than \(limits.maximumIncludeDepth) files here"))
                    continue
                }
                guard FileManager.default.fileExists(atPath: target) else {
                    diagnostics.append(FlowDiagnostic(.error, .includeFailed, at: location, "cannot include '\(relative)': there is no file \(target)"))
                    continue
                }
                guard let fragment = self.document(at: target, bytes: nil) else {
                    diagnostics.append(FlowDiagnostic(.error, .includeFailed, at: location, "cannot include '\(relative)': fix the problems reported in \(target)"))
                    continue
                }
                guard fragment.kind == .fragment else {
                    diagnostics.append(FlowDiagnostic(.error, .includeFailed, at: location, "'\(relative)' is a flow; only fragments ('fragment: NAME') can be included"))
                    continue
                }
                if !merged.files.contains(target) { merged.files.append(target) }
                merged.add(fragment, diagnostics: &diagnostics)
                expand(fragment, path: target, chain: chain + [target], into: &stages, merged: &merged)
            }
        }
    }

    /// `shared/login.yaml` next to `flows/sync.yaml` is `flows/shared/login.yaml`.
    static func resolve(_ relative: String, from path: String) -> String {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var components: [String] = directory.map(String.init)
        for component in relative.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                if let last = components.last, last != "..", !last.isEmpty { components.removeLast() } else { components.append("..") }
            default: components.append(String(component))
            }
        }
        let joined = components.joined(separator: "/")
        return joined.isEmpty ? relative : joined
    }

    /// A per-item stage with no `session:` uses the last session stage before it.
    private func assignSessions(_ stages: inout [Stage]) {
        var lastSession: String?
        for index in stages.indices {
            if stages[index].perItem != nil, stages[index].perItem?.session == nil {
                stages[index].perItem?.session = lastSession
            }
            if stages[index].isSession { lastSession = stages[index].name }
        }
    }

    /// The inputs, secrets and selectors of a flow and its fragments, merged with conflict checks.
    private struct Merged {
        let root: String
        var inputs: [FlowInput] = []
        var secrets: [SecretDeclaration] = []
        var selectors = SelectorMap()
        var files: [String] = []

        init(root: String) {
            self.root = root
        }

        mutating func add(_ document: FlowDocument, diagnostics: inout [FlowDiagnostic]) {
            for input in document.inputs {
                guard let existing = inputs.first(where: { $0.name == input.name }) else {
                    inputs.append(input)
                    continue
                }
                let sameDeclaration = (existing.kind, existing.defaultValue?.source) == (input.kind, input.defaultValue?.source)
                // The flow's own declaration wins over a fragment's: that is how a flow changes a default.
                guard !sameDeclaration, existing.location.file != root else { continue }
                diagnostics.append(FlowDiagnostic(
                    .error, .includeConflict, at: input.location,
                    "input '\(input.name)' is declared differently at \(existing.location); declare it the same way, or once in the flow"))
            }
            for secret in document.secrets {
                guard let existing = secrets.first(where: { $0.name == secret.name }) else {
                    secrets.append(secret)
                    continue
                }
                if existing.source != secret.source {
                    diagnostics.append(FlowDiagnostic(
                        .error, .includeConflict, at: secret.location,
                        "secret '\(secret.name)' comes from \(existing.source) at \(existing.location) but from \(secret.source) here; use one source"))
                }
            }
            for definition in document.selectors.definitions {
                guard let existing = selectors.add(definition) else { continue }
                if existing.candidates.map(\.source) != definition.candidates.map(\.source) {
                    diagnostics.append(FlowDiagnostic(
                        .error, .includeConflict, at: definition.location,
                        "selector '\(definition.key)' is also defined at \(existing.location), differently; define it in one place"))
                }
            }
        }
    }
}
