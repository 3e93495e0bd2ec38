import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Store
import Synchronization

/// One connection to the server, used by one thread at a time (the pool hands it out), with blocking calls.
///
/// Every call sends its query on the connection's NIO event loop and waits for the answer with
/// `EventLoopFuture.wait()` on the calling thread. The event loops belong to ``PostgresSession/eventLoops``,
/// a group of Ferry's own, never to the cooperative pool nor to a web server's loops, so the wait can
/// never be waiting on its own thread.
final class PostgresSession: @unchecked Sendable {
    // @unchecked: the connection is Sendable; the pool gives a session to one thread at a time.
    let connection: PostgresConnection
    let logger: Logger

    /// The event loops every PostgreSQL store's connections use: two threads of their own, so a blocked
    /// caller (engine worker, dashboard handler, CLI) never holds the thread its answer arrives on.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    private static let nextID = Atomic<Int>(0)

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static func connect(_ url: PostgresStoreURL) throws(StoreError) -> PostgresSession {
        let logger = Logger(label: "ferry.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let id = nextID.add(1, ordering: .relaxed).newValue
        do {
            let connection = try PostgresConnection.connect(
                on: eventLoops.next(), configuration: url.configuration, id: id, logger: logger
            ).wait()
            return PostgresSession(connection: connection, logger: logger)
        } catch {
            throw StoreError(
                code: .cannotOpen, path: url.description,
                message: "cannot connect: \(PostgresSession.describe(error)); check that the server runs and the URL's user, host, port and database are right")
        }
    }

    var isClosed: Bool { connection.isClosed }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> PostgresQueryResult {
        try send(sql, arguments).wait()
    }

    /// Sends a statement without waiting for its answer: statements run in the order sent, so a caller
    /// that needs no result (BEGIN, an audit row) saves a wait, and checks the answer later.
    func send(_ sql: String, _ arguments: [any SQLArgument] = []) -> EventLoopFuture<PostgresQueryResult> {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(into: &bindings) }
        return connection.query(PostgresQuery(unsafeSQL: SQLText.numbered(sql), binds: bindings), logger: logger)
    }

    /// How many rows the statement changed.
    func changes(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> Int {
        try execute(sql, arguments).metadata.rows ?? 0
    }

    func rows(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> [PostgresRandomAccessRow] {
        try execute(sql, arguments).rows.map { $0.makeRandomAccess() }
    }

    func row(_ sql: String, _ arguments: [any SQLArgument] = []) throws -> PostgresRandomAccessRow? {
        try rows(sql, arguments).first
    }

    /// Closes the connection and waits until it is closed (PostgresNIO requires a connection closed before it goes away).
    func close() {
        _ = try? connection.close().wait()
    }

    /// A server error's own message and SQLSTATE (PSQLError's description hides them on purpose).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            // A connection that failed has no server message: its cause (refused, unknown host) says what to fix.
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        }
        return "\(error)"
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresRandomAccessRow {
    func text(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map(Int.init) }
    func date(_ column: String) throws -> Date? { StoreTimestamp.date(try optionalText(column)) }
}
