import HTTPTypes
import Hummingbird
import Metrics
import TrackhubCore

/// `429 Too Many Requests` with `Retry-After` for a client address over its rate
/// (``ClientRateLimiter``; `TRACKHUB_CLIENT_RATE_PER_SECOND`, off by default).
///
/// Scope: `/go/` and `/track/`, the routes anyone can call. Webhooks and `/s2s` are authenticated;
/// a seller's server sends all its events from one address, and webhooks come
/// from a gateway's few addresses in bursts (a retry wave after an outage): limiting them would
/// only delay sales. Health and metrics are the operator's. Added after ``CORSMiddleware``, so
/// a landing page can read the 429.
struct ClientRateLimitMiddleware: RouterMiddleware {
    typealias Context = IngestRequestContext
    let limiter: ClientRateLimiter
    let deps: IngestDependencies
    private let start = ContinuousClock.now

    init(limiter: ClientRateLimiter, deps: IngestDependencies) {
        self.limiter = limiter
        self.deps = deps
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/go/") || path.hasPrefix("/track/"), request.method != .options,
              let client = deps.clientIP(request, context) else {
            return try await next(request, context)
        }
        let elapsed = ContinuousClock.now - start
        let now = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard let wait = limiter.admit(client, now: now) else { return try await next(request, context) }
        Counter(label: "trackhub_ingest_rate_limited_total").increment()
        var headers = HTTPFields()
        headers[.retryAfter] = String(wait)
        return Problem(.tooManyRequests, type: "rate-limited", title: "Too many requests from this address; retry later",
                       detail: "over \(Int(limiter.rate)) requests a second").response(extraHeaders: headers)
    }
}
