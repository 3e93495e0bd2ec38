import Store

/// An operator action or sign-in that was refused or failed, with a message for the person who asked.
public struct OperatorError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// The user's role does not allow the action.
        public static let forbidden = Code(name: "not allowed")
        /// The action needs a reason and none was given, or an input is malformed.
        public static let invalidInput = Code(name: "invalid input")
        /// The item or run is not in a state the action applies to.
        public static let wrongState = Code(name: "wrong state")
        public static let notFound = Code(name: "not found")
        /// Wrong user name or password (the message never says which).
        public static let signInFailed = Code(name: "sign-in failed")
        public static let storeFailure = Code(name: "store failure")
        public static let launchFailed = Code(name: "could not start the run")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: StoreError) {
        switch error.code {
        case .notFound: self.init(.notFound, error.message)
        case .conflict: self.init(.wrongState, error.message)
        default: self.init(.storeFailure, "\(error)")
        }
    }

    public var description: String { message }
}
