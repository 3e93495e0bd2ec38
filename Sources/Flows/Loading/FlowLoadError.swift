/// A flow file that cannot run, with every problem found in it.
///
///     do {
///         let flow = try FlowLoader.load(path: "flows/clinic-daily-sync.yaml")
///     } catch {
///         for diagnostic in error.diagnostics { print(diagnostic) }   // file:line:column: error: ...
///     }
public struct FlowLoadError: Error, Sendable, CustomStringConvertible {
    /// The file asked for.
    public var path: String
    /// Every problem, errors and warnings, in file order.
    public var diagnostics: [FlowDiagnostic]

    public init(path: String, diagnostics: [FlowDiagnostic]) {
        self.path = path
        self.diagnostics = diagnostics
    }

    public var errors: [FlowDiagnostic] { diagnostics.filter(\.isError) }

    /// One line per problem, then what to do.
    public var description: String {
        let count = errors.count
        return diagnostics.map(\.description).joined(separator: "\n")
            + "\n\(path): \(count) error\(count == 1 ? "" : "s"); fix \(count == 1 ? "it" : "them") and run 'ferry validate \(path)'"
    }
}
