import Hummingbird

/// The ``FixtureFaults/loginInPlace`` switch: a page that needs a session answers the login form at
/// its own URL with HTTP 200, instead of redirecting to `/login?next=…`, as many older applications
/// do. Nothing in the status or the URL then says the session is gone; only the page does.
///
/// It works on the redirect ``SiteAuth/require(_:_:)`` answers, so every route that needs a session
/// behaves this way without knowing of the switch. The cookie the redirect clears stays cleared.
struct LoginInPlaceMiddleware<Context: RequestContext>: RouterMiddleware {
    let faults: FaultSwitches
    /// The site's login page for a request, with the `next` path and an optional notice.
    let loginPage: @Sendable (_ request: Request, _ next: String?, _ notice: String?) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        let prefix = "/login?"
        guard faults.current.loginInPlace, response.status == .found,
            let location = response.headers[.location], location.hasPrefix(prefix)
        else { return response }
        let query = FormFields(urlEncoded: location.dropFirst(prefix.count))
        let notice = query["expired"] == "1" ? "Your session has expired. Please sign in again." : nil
        var page = loginPage(request, query["next"], notice)
        page.headers[values: .setCookie] += response.headers[values: .setCookie]
        return page
    }
}
