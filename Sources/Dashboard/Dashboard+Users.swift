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
        page["users"] = ((try? store.users()) ?? []).map { user -> [String: Any] in
            ["name": user.name, "role": user.role.rawValue, "created": Self.time(user.createdAt),
             "state": user.disabledAt.map { "disabled since " + Self.time($0) } ?? "active",
             "toggle": user.disabledAt == nil ? "disable" : "enable", "toggleLabel": user.disabledAt == nil ? "Disable" : "Enable"]
        }
        let locks = (try? store.signInLocks(now: Date())) ?? []
        page["locks"] = locks.map { ["name": $0.userName, "address": $0.address, "until": Self.time($0.until), "refused": $0.refused] as [String: Any] }
        page["hasLocks"] = !locks.isEmpty
        page["attempts"] = configuration.signInAttempts
        page["roles"] = OperatorRole.allCases.map { ["name": $0.rawValue, "selected": $0 == .operator] }
        page["minimum"] = OperatorAccounts.minimumPasswordLength
        return .html(templates.render("users", page))
    }

    func saveUser(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let (form, signedIn): (FormFields, SignedIn)
        switch try await adminForm(request, context) {
        case .success(let checked): (form, signedIn) = checked
        case .failure(let refusal): return refusal.response
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

    /// `POST /users/NAME/unlock|disable|enable|delete`: an admin's change to one account, audited with
    /// the admin's name; disabling and deleting end the user's sessions.
    func changeUser(_ request: Request, _ context: DashboardContext, change: String) async throws -> Response {
        let (form, signedIn): (FormFields, SignedIn)
        switch try await adminForm(request, context) {
        case .success(let checked): (form, signedIn) = checked
        case .failure(let refusal): return refusal.response
        }
        let name = context.parameters.get("name") ?? ""
        let done: String
        do {
            switch change {
            case "unlock":
                let lifted = try accounts.unlock(name: name, by: signedIn.person)
                done = lifted == 0 ? "\(name) was not locked out" : "sign-in unlocked for \(name)"
            case "disable":
                guard name != signedIn.account.name else {
                    return message(title: "Not done", text: "You cannot disable your own account.", status: .badRequest, signedIn: signedIn, back: "/users")
                }
                try accounts.setDisabled(name: name, disabled: true, by: signedIn.person)
                done = "\(name) is disabled and signed out everywhere"
            case "enable":
                try accounts.setDisabled(name: name, disabled: false, by: signedIn.person)
                done = "\(name) can sign in again"
            case "delete":
                guard name != signedIn.account.name else {
                    return message(title: "Not done", text: "You cannot delete your own account.", status: .badRequest, signedIn: signedIn, back: "/users")
                }
                try accounts.delete(name: name, by: signedIn.person)
                done = "\(name) is deleted and signed out everywhere"
            default:
                return message(title: "Not found", text: "There is no such change.", status: .notFound, signedIn: signedIn, back: "/users")
            }
        } catch {
            return message(title: "Not done", text: error.message, status: error.code == .notFound ? .notFound : .badRequest, signedIn: signedIn,
                           back: "/users")
        }
        setNotice(Notice(text: done, isError: false), for: signedIn)
        return .seeOther("/users")
    }

    /// Why an admin's form was refused, as the page that says so.
    struct Refusal: Error {
        let response: Response
    }

    /// The form of an admin's request to change accounts, once its session, CSRF token and role are checked.
    private func adminForm(_ request: Request, _ context: DashboardContext) async throws -> Result<(FormFields, SignedIn), Refusal> {
        let form = try await request.form()
        guard let signedIn = context.signedIn else {
            return .failure(Refusal(response: message(title: "Sign in first", text: "Your session has ended: sign in again.", status: .unauthorized, signedIn: nil)))
        }
        guard PasswordHasher.constantTimeEqual(form["csrf"] ?? "", signedIn.session.csrfToken) else {
            return .failure(Refusal(response: message(
                title: "Refused", text: "This form has expired (its security token does not match). Reload the page and try again.",
                status: .forbidden, signedIn: signedIn)))
        }
        guard signedIn.account.role == .admin else {
            return .failure(Refusal(response: message(title: "Admins only", text: "Only an admin can manage users.", status: .forbidden, signedIn: signedIn)))
        }
        return .success((form, signedIn))
    }
}
