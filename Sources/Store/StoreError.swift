/// The store could not be opened, migrated, or written.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public static let cannotOpen = Code(name: "cannot open the store")
        public static let migrationFailed = Code(name: "migration failed")
        public static let newerSchema = Code(name: "store written by a newer Ferry")
        public static let databaseFailure = Code(name: "database failure")
        public static let notFound = Code(name: "not found")
        /// The process is being stopped and its runs were recorded as interrupted: nothing more is written.
        public static let closed = Code(name: "store closed")
        /// A compare-and-set found the row in another state than the change applies to (someone or
        /// something changed it first); nothing was written.
        public static let conflict = Code(name: "state changed meanwhile")
        /// A copy's destination already holds an installation; nothing was written.
        public static let notEmpty = Code(name: "destination not empty")
        public var description: String { name }
    }

    public let code: Code
    /// The database file.
    public let path: String
    public let message: String

    public init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(code) at \(path): \(message)" }
}
