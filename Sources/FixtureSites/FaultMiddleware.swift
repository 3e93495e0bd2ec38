import Hummingbird

/// Applies the slow-response and intermittent-500 switches to every request except the control
/// endpoint, the stylesheet and the favicon (a browser fetches those on its own, which would make
/// "every Nth request" unpredictable).
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let faults: FaultSwitches
    let templates: SiteTemplates

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/_control/") || path.hasPrefix("/static/") || path == "/favicon.ico" {
            return try await next(request, context)
        }
        let (faults, fail, down) = faults.countRequest()
        if let slowMs = faults.slowMs {
            try await Task.sleep(for: .milliseconds(slowMs))
        }
        if down {
            return ErrorPageMiddleware<Context>.page(
                templates, status: .serviceUnavailable,
                detail: "Down for scheduled maintenance. Please try again later."
            )
        }
        if fail {
            return ErrorPageMiddleware<Context>.page(
                templates, status: .internalServerError,
                detail: "The server encountered an internal error and was unable to complete your request."
            )
        }
        return try await next(request, context)
    }
}
