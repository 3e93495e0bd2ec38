/// A secret the flow needs, named, with where its value comes from (never the value itself).
///
///     secrets:
///       clinic_password: env:CLINIC_PASSWORD
///       ledger_password: file:~/.config/ferry/secrets.env#LEDGER_PASSWORD
public struct SecretDeclaration: Hashable, Sendable {
    /// The name templates use: `${secrets.clinic_password}`.
    public var name: String
    public var source: SecretSource
    public var location: SourceLocation

    public init(name: String, source: SecretSource, location: SourceLocation) {
        self.name = name
        self.source = source
        self.location = location
    }
}
