import Foundation
import Hummingbird
import Operators
import Store

/// Admins manage accounts: list them, add one, or set a user's role and password.
extension Dashboard {
    func usersPage(_ request: Request, _ signedIn: SignedIn) -> Response {
        guard signedIn.account.role == .admin else {
            return message(title: "Admins only", text: "Only an admin can manage users.", status: .forbidden, signedIn: signedIn)
        }
        var page = layout(title: "Users", signedIn: signedIn, active: "users")
        page["users"] = ((try? store.users()) ?? []).map { ["name": $0.name, "role": $0.role.rawValue, "created": Self.time($0.createdAt)] }
        page["roles"] = OperatorRole.allCases.map { ["name": $0.rawValue, "selected": $0 == .operator] }
        page["minimum"] = OperatorAccounts.minimumPasswordLength
        return .html(templates.render("users", page))
    }

    func saveUser(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let form = try await request.form()
        guard let signedIn = context.signedIn else {
            return message(title: "Sign in first", text: "Your session has ended: sign in again.", status: .unauthorized, signedIn: nil)
        }
        guard PasswordHasher.constantTimeEqual(form["csrf"] ?? "", signedIn.session.csrfToken) else {
            return message(title: "Refused", text: "This form has expired (its security token does not match). Reload the page and try again.",
                           status: .forbidden, signedIn: signedIn)
        }
        guard signedIn.account.role == .admin else {
            return message(title: "Admins only", text: "Only an admin can manage users.", status: .forbidden, signedIn: signedIn)
        }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let role = OperatorRole(rawValue: form["role"] ?? "") else {
            return message(title: "Not done", text: "Pick a role: viewer, operator or admin.", status: .badRequest, signedIn: signedIn, back: "/users")
        }
        do {
            try accounts.addUser(name: name, role: role, password: form["password"] ?? "", by: signedIn.person.actor)
        } catch {
            return message(title: "Not done", text: error.message, status: .badRequest, signedIn: signedIn, back: "/users")
        }
        setNotice(Notice(text: "user \(name) saved with the \(role.rawValue) role", isError: false), for: signedIn)
        return .seeOther("/users")
    }
}
