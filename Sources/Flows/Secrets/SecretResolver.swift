import Foundation

/// Finds the values of a flow's secrets when a run starts.
///
///     let resolver = SecretResolver()
///     context.secrets = try resolver.resolve(flow.secrets)
///
/// Values come back as secret ``TemplateValue``s, so templating keeps them marked and a ``Redactor``
/// can mask them. Secrets files hold `NAME=value` lines (`#` comments, optional quotes around the value)
/// and live outside the repository.
public struct SecretResolver: Sendable {
    private let environment: [String: String]
    private let homeDirectory: String
    private let readFile: @Sendable (String) -> String?

    /// Resolves against the process environment and the real file system.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(environment: environment, homeDirectory: NSHomeDirectory()) { path in
            guard let data = FileManager.default.contents(atPath: path), data.count <= 1_048_576 else { return nil }
            return String(data: data, encoding: .utf8)
        }
    }

    /// Resolves against a given environment and file reader (for tests).
    public init(environment: [String: String], homeDirectory: String, readFile: @escaping @Sendable (String) -> String?) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.readFile = readFile
    }

    /// Every declared secret's value, by name; the first missing one throws.
    public func resolve(_ declarations: [SecretDeclaration]) throws(SecretError) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [:]
        for declaration in declarations {
            values[declaration.name] = try resolve(declaration)
        }
        return values
    }

    /// One secret's value.
    public func resolve(_ declaration: SecretDeclaration) throws(SecretError) -> TemplateValue {
        switch declaration.source {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretError(
                    code: .environmentVariableMissing, secret: declaration.name, source: declaration.source,
                    message: "the environment variable \(name) is not set; export it before running the flow")
            }
            return .secret(value)
        case .file(let path, let key):
            let expanded = path.hasPrefix("~/") ? homeDirectory + path.dropFirst(1) : path
            guard let contents = readFile(expanded) else {
                throw SecretError(
                    code: .fileUnreadable, secret: declaration.name, source: declaration.source,
                    message: "cannot read \(expanded); create it with a line \(key)=... and make it readable by this user only (chmod 600)")
            }
            guard let value = Self.value(of: key, in: contents) else {
                throw SecretError(
                    code: .keyMissing, secret: declaration.name, source: declaration.source,
                    message: "\(expanded) has no line \(key)=...; add one")
            }
            return .secret(value)
        }
    }

    /// The value of `KEY=value` in a secrets file's text.
    static func value(of key: String, in contents: String) -> String? {
        for line in contents.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("export ") { name = String(name.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard name == key else { continue }
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }
}
