import HTTPTypes
import Hummingbird

/// CORS headers on every answer a landing page can receive, and problem+json for unknown routes.
///
/// A browser hides from the page any answer that lacks `Access-Control-Allow-Origin`, so a 413,
/// a 403 or a 503 without it reaches the page's code as an opaque network error instead of the
/// problem+json that says what went wrong. Routes throw their errors; this middleware turns
/// them into responses itself (as the router would) so it can add the headers to errors too.
///
/// Scope: the browser-facing routes (`/track/…`) and paths no route matches (a typo in a
/// page's script must show the 404, not a CORS failure). The origin must be one some tenant of
/// the current snapshot allows; the tenant check itself stays in ``TrackRoute`` (a 403 for an
/// origin another tenant allows carries the headers, so the page sees the 403). Without a
/// snapshot no origin is known, and no headers are added.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The origins allowed by any tenant right now (the snapshot can change at any time).
    let allowedOrigins: @Sendable () -> Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        var unmatched = false
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router's fallback throws a bare HTTPError(.notFound); routes throw Problem.
            unmatched = true
            response = Problem.noRoute(method: request.method).response()
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        if unmatched || request.uri.path.hasPrefix("/track/"),
           let origin = Cors.allowedOrigin(request.headers[.origin], in: allowedOrigins()) {
            Cors.apply(origin: origin, to: &response.headers)
        }
        return response
    }
}
