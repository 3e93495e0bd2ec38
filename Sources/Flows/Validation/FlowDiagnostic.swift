/// One problem found in a flow file, with where it is and what to do about it.
///
/// Printed the way compilers print, so editors and terminals jump to it:
///
///     flows/clinic-daily-sync.yaml:42:16: error: unknown selector key 'entry.sav'; did you mean 'entry.save'?
///
/// Diagnostics never contain a secret's value: the loader never resolves secrets, and a literal written
/// where a secret belongs is reported by name only.
public struct FlowDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Whether the problem stops the flow from running.
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// The flow does not run until this is fixed.
        case error
        /// The flow runs, but something is probably not what the maintainer meant.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    public var severity: Severity
    /// What kind of problem it is, to match on in code and tests.
    public var code: DiagnosticCode
    public var location: SourceLocation
    /// The sentence a maintainer reads: what is wrong and, where possible, what to write instead.
    public var message: String

    public init(_ severity: Severity, _ code: DiagnosticCode, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = Self.bounded(message)
    }

    /// A message quoting a huge value from a hostile file is cut in the middle, keeping the advice at the end.
    private static func bounded(_ message: String) -> String {
        guard message.count > 1000 else { return message }
        return message.prefix(500) + " … " + message.suffix(300)
    }

    public var isError: Bool { severity == .error }

    /// `file:line:column: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Array where Element == FlowDiagnostic {
    /// Whether any of these stops the flow from running.
    public var containsErrors: Bool { contains { $0.isError } }

    /// In file order, without repeats (a fragment's problem is found once per flow that includes it).
    public func sortedUnique() -> [FlowDiagnostic] {
        var seen = Set<FlowDiagnostic>()
        return filter { seen.insert($0).inserted }.sorted {
            ($0.location, $0.severity, $0.message) < ($1.location, $1.severity, $1.message)
        }
    }
}
