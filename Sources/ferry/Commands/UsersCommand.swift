import ArgumentParser
import Engine
import Foundation
import Operators
import Store

/// Dashboard accounts: `ferry users add NAME --role operator`, `ferry users list`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage dashboard users (viewer, operator, admin).", subcommands: [Add.self, List.self, Unlock.self, Disable.self, Enable.self, Delete.self])

    /// The person behind a `ferry users` change: the operating-system account (audited as CLI).
    static var admin: Operator {
        Operator(name: RunOptions.userName, role: .admin, channel: .cli, systemUser: OperatorOptionGroup.systemUser)
    }

    /// Runs one account change, printing what it did or the error (exit 1; 3 for an unknown user).
    static func change(_ body: () throws(OperatorError) -> String) throws {
        do {
            print(try body())
        } catch {
            FileHandle.standardError.write(Data("ferry: \(error.message)\n".utf8))
            throw ExitCode(error.code == .notFound ? 3 : 1)
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift the sign-in lock on a user name (after too many failed sign-ins), from every address. Audited.")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let accounts = OperatorAccounts(store: try store.openExisting())
            try UsersCommand.change { () throws(OperatorError) -> String in
                let lifted = try accounts.unlock(name: name, by: UsersCommand.admin)
                return lifted == 0 ? "\(name) was not locked out" : "sign-in unlocked for \(name) (\(lifted) address\(lifted == 1 ? "" : "es"))"
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they cannot sign in, and their sessions end now. Audited.")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let accounts = OperatorAccounts(store: try store.openExisting())
            try UsersCommand.change { () throws(OperatorError) -> String in
                try accounts.setDisabled(name: name, disabled: true, by: UsersCommand.admin)
                return "\(name) is disabled and signed out everywhere"
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled user sign in again. Audited.")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let accounts = OperatorAccounts(store: try store.openExisting())
            try UsersCommand.change { () throws(OperatorError) -> String in
                try accounts.setDisabled(name: name, disabled: false, by: UsersCommand.admin)
                return "\(name) can sign in again"
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user and end their sessions. Audited (the audit rows about them stay).")
        @Argument(help: ArgumentHelp("The user name.", valueName: "name")) var name: String
        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let accounts = OperatorAccounts(store: try store.openExisting())
            try UsersCommand.change { () throws(OperatorError) -> String in
                try accounts.delete(name: name, by: UsersCommand.admin)
                return "\(name) is deleted and signed out everywhere"
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user, or set an existing user's role and password.",
            discussion: "The password is read from the terminal (not echoed), or from the first line of standard input with --password-stdin. It is stored only as a salted PBKDF2-SHA256 hash.")

        @Argument(help: ArgumentHelp("The user name (letters, digits, . _ -).", valueName: "name"))
        var name: String

        @Option(help: "viewer (look only), operator (act on items and runs), or admin.")
        var role: String = "operator"

        @Flag(help: "Read the password from standard input instead of prompting.")
        var passwordStdin = false

        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            guard let role = OperatorRole(rawValue: role) else {
                throw ValidationError("unknown role '\(role)'; use viewer, operator or admin")
            }
            let password: String
            if passwordStdin {
                password = readLine(strippingNewline: true) ?? ""
            } else {
                guard let typed = getpass("Password for \(name): ") else { throw ValidationError("no password given") }
                password = String(cString: typed)
                guard let again = getpass("Again: "), String(cString: again) == password else {
                    throw ValidationError("the two passwords differ; nothing was changed")
                }
            }
            do {
                try OperatorAccounts(store: try store.open()).addUser(name: name, role: role, password: password, by: "cli:\(RunOptions.userName)")
            } catch let error as OperatorError {
                throw ValidationError(error.message)
            }
            print("user \(name) saved with the \(role.rawValue) role")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dashboard users and their roles.")
        @OptionGroup var store: StoreOptionGroup

        func run() throws {
            let users = try store.openExisting().users()
            if users.isEmpty { print("no users; add one with `ferry users add NAME --role operator`") }
            for user in users {
                print(user.name.padding(24) + user.role.rawValue.padding(10) + user.createdAt.formatted(.iso8601)
                      + (user.disabledAt == nil ? "" : "  disabled"))
            }
            for lock in try store.openExisting().signInLocks(now: Date()) {
                print("locked: \(lock.userName) from \(lock.address) until \(lock.until.formatted(.iso8601)) (\(lock.refused) refused); `ferry users unlock \(lock.userName)`")
            }
        }
    }
}
