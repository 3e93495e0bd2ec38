/// Loads flow files: reads them within ``LoadLimits``, decodes them with positions, merges their
/// includes and validates the result, reporting every problem at once.
///
///     let flow = try FlowLoader.load(path: "flows/clinic-daily-sync.yaml")   // throws FlowLoadError
///     let check = FlowLoader.check(path: "flows/clinic-daily-sync.yaml")     // never throws
///
/// Nothing a file contains makes loading crash or hang: sizes, nesting and node counts are capped,
/// YAML aliases are refused before anything is expanded, and every problem becomes a diagnostic.
public struct FlowLoader: Sendable {
    public var limits: LoadLimits

    public init(limits: LoadLimits = .standard) {
        self.limits = limits
    }

    /// Loads a runnable flow; throws every problem when it has errors (warnings alone do not stop it).
    public static func load(path: String) throws(FlowLoadError) -> Flow {
        try FlowLoader().load(path: path)
    }

    /// Checks a flow or fragment file without throwing.
    public static func check(path: String) -> FlowCheck {
        FlowLoader().check(path: path)
    }

    public func load(path: String) throws(FlowLoadError) -> Flow {
        var check = check(path: path)
        if let flow = check.flow, flow.kind == .fragment {
            check.diagnostics.append(FlowDiagnostic(
                .error, .invalidValue, at: flow.location,
                "'\(flow.name)' is a fragment; run a flow that includes it"))
        }
        guard let flow = check.flow, !check.diagnostics.containsErrors else {
            throw FlowLoadError(path: path, diagnostics: check.diagnostics)
        }
        return flow
    }

    public func check(path: String) -> FlowCheck {
        check(path: path, bytes: nil)
    }

    /// Checks text as if it were the file at `path` (includes are read relative to it).
    public func check(text: String, path: String) -> FlowCheck {
        check(path: path, bytes: Array(text.utf8))
    }

    /// Checks bytes as if they were the file at `path`.
    public func check(bytes: [UInt8], path: String) -> FlowCheck {
        check(path: path, bytes: bytes)
    }

    private func check(path: String, bytes: [UInt8]?) -> FlowCheck {
        var assembler = FlowAssembler(limits: limits)
        let flow = assembler.assemble(path: path, bytes: bytes)
        var diagnostics = assembler.diagnostics
        if let flow {
            // Validate even a partly broken flow: one run of `ferry validate` shows everything. But when
            // parts were dropped, "never used" is only their echo, so those warnings wait for a clean decode.
            let decodedCleanly = !diagnostics.containsErrors
            diagnostics += FlowValidator.validate(flow).filter {
                decodedCleanly || ($0.code != .unusedSelector && $0.code != .unusedValue)
            }
        }
        return FlowCheck(path: path, flow: flow, diagnostics: Self.capped(diagnostics.sortedUnique(), path: path), sources: assembler.sources)
    }

    /// How many problems one check reports; a hostile file could otherwise produce one per line.
    public static let maximumDiagnostics = 200

    private static func capped(_ diagnostics: [FlowDiagnostic], path: String) -> [FlowDiagnostic] {
        guard diagnostics.count > maximumDiagnostics else { return diagnostics }
        let shown = Array(diagnostics.prefix(maximumDiagnostics))
        let rest = diagnostics.count - shown.count
        return shown + [FlowDiagnostic(
            .error, .tooManyProblems, at: shown.last?.location ?? SourceLocation(file: path, line: 1, column: 1),
            "\(rest) more problems are not shown; fix these first")]
    }
}
