import ArgumentParser
import Engine
import Foundation
import Operators
import Store

/// Dashboard accounts: `ferry users add NAME --role operator`, `ferry users list`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage dashboard users (viewer, operator, admin).", subcommands: [Add.self, List.self])

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
            for user in users { print(user.name.padding(24) + user.role.rawValue.padding(10) + user.createdAt.formatted(.iso8601)) }
        }
    }
}
