import Foundation
import PostgresNIO
import Store

/// Where a PostgreSQL store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`).
/// A password not in the URL is read from `$PGPASSWORD`. The URL is never shown with its password.
public struct PostgresStoreURL: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    let password: String?
    public let database: String

    /// Whether `text` names a PostgreSQL store (anything else is a SQLite path). A mistyped URL
    /// (`postgres:/host/db`) counts, so it is refused with the URL's form rather than taken for a file name.
    public static func isPostgres(_ text: String) -> Bool {
        let scheme = text.lowercased()
        return scheme.hasPrefix("postgres:") || scheme.hasPrefix("postgresql:")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard Self.isPostgres(text), text.contains("://"), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw StoreError(
                code: .cannotOpen, path: Self.redact(text),
                message: "not a PostgreSQL URL; write it as postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw StoreError(code: .cannotOpen, path: Self.redact(text), message: "the URL names no database; add /DATABASE after the host")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user ?? environment["USER"] ?? "postgres"
        self.password = components.password ?? environment["PGPASSWORD"]
        self.database = database
    }

    /// The URL without its password, for messages and the `path` of errors.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    private static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "the given URL" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "the given URL"
    }
}
