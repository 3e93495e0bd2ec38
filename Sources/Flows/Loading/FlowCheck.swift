/// The outcome of checking one flow file: the flow when it could be read, and every problem.
public struct FlowCheck: Sendable {
    /// The file checked.
    public var path: String
    /// The merged flow; nil when the file is too broken to decode.
    public var flow: Flow?
    /// Every problem, errors and warnings, in file order, without repeats.
    public var diagnostics: [FlowDiagnostic]
    /// The text of each file read, for snippets.
    var sources: [String: [UInt8]]

    public var errors: [FlowDiagnostic] { diagnostics.filter(\.isError) }
    public var warnings: [FlowDiagnostic] { diagnostics.filter { !$0.isError } }

    /// Whether the flow can run.
    public var isValid: Bool { flow != nil && errors.isEmpty }

    /// The source line a diagnostic points at with a caret under its column, as compilers show it;
    /// nil when the line is unknown or could hold a secret (a literal written where a secret belongs).
    public func snippet(for diagnostic: FlowDiagnostic) -> String? {
        guard let bytes = sources[diagnostic.location.file] else { return nil }
        let unsafeLines = Set(diagnostics.filter { $0.code == .literalSecret && $0.location.file == diagnostic.location.file }.map(\.location.line))
        guard !unsafeLines.contains(diagnostic.location.line) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard diagnostic.location.line >= 1, diagnostic.location.line <= lines.count else { return nil }
        var line = String(lines[diagnostic.location.line - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        guard line.count <= 300 else { return nil }
        let indent = String(line.unicodeScalars.prefix(max(0, diagnostic.location.column - 1)).map { $0 == "\t" ? "\t" : " " })
        return line + "\n" + indent + "^"
    }
}
