/// Where a secret's value comes from: never the flow file itself.
///
/// - `env:CLINIC_PASSWORD`: an environment variable of the process that runs the flow.
/// - `file:~/.config/ferry/secrets.env#CLINIC_PASSWORD`: a `NAME=value` line of a file outside the
///   repository, given by an absolute path or one under the home folder (`~/`).
public enum SecretSource: Hashable, Sendable, CustomStringConvertible {
    case environment(String)
    case file(path: String, key: String)

    /// Why a source text is not a source, for the validator's message.
    enum ParseProblem: Error, Equatable {
        /// The text has no `env:` or `file:` prefix: probably the secret itself.
        case literal
        case badEnvironmentName
        case relativePath
        case missingKey
    }

    /// Parses `env:NAME` or `file:PATH#KEY`.
    static func parse(_ text: String) -> Result<SecretSource, ParseProblem> {
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            guard Self.isEnvironmentName(name) else { return .failure(.badEnvironmentName) }
            return .success(.environment(name))
        }
        if text.hasPrefix("file:") {
            let rest = text.dropFirst(5)
            guard let hash = rest.lastIndex(of: "#") else { return .failure(.missingKey) }
            let path = String(rest[..<hash])
            let key = String(rest[rest.index(after: hash)...])
            guard !key.isEmpty, Self.isEnvironmentName(key) else { return .failure(.missingKey) }
            guard path.hasPrefix("/") || path.hasPrefix("~/") else { return .failure(.relativePath) }
            return .success(.file(path: path, key: key))
        }
        return .failure(.literal)
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// `env:NAME` or `file:PATH#KEY`: where to look, never a value.
    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path, let key): "file:\(path)#\(key)"
        }
    }
}
