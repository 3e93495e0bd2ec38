import Hummingbird

/// Turns errors thrown by routes (404 for unknown paths, 400 for bad input) into the site's
/// old-school error page instead of an empty body.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let templates: SiteTemplates

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return Self.page(templates, status: error.status, detail: nil)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("Request failed: \(error)")
            return Self.page(templates, status: .internalServerError, detail: nil)
        }
    }

    /// The error page for `status`.
    static func page(_ templates: SiteTemplates, status: HTTPResponse.Status, detail: String?) -> Response {
        var context: [String: Any] = [
            "title": status.reasonPhrase, "code": status.code, "reason": status.reasonPhrase,
        ]
        if let detail { context["detail"] = detail }
        return .html(templates.render("error", context), status: status)
    }
}
