import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TrackhubCore

/// `POST /track/{event}`: a landing page's funnel event. 202 once durable; 400 problem+json
/// naming each bad field; 413 above the body limit (checked before reading when the length is
/// declared); CORS limited to the tenant's landing-page origins (the headers of every answer,
/// errors included, come from ``CORSMiddleware``).
struct TrackRoute: Sendable {
    let deps: IngestDependencies

    func handle(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let (event, priority, snapshot) = try TrackEventAcceptor(deps: deps).route(context)
        let origin = request.headers[.origin]
        let body = try await collectBody(request, limit: deps.maxBodyBytes)

        let parsed: TrackRequestValidator.Parsed
        switch TrackRequestValidator.validate(event: event, body: body, cookieClickID: request.cookies[GoRoute.cookieName]?.value) {
        case .success(let p): parsed = p
        case .failure(let problem): throw problem
        }
        guard let tenant = parsed.tenant.flatMap({ snapshot.tenants[$0] }) else {
            throw Problem.validation([.init(field: "tenant", reason: "unknown tenant")])
        }
        if let origin, !tenant.allowedOrigins.contains(origin) {
            throw Problem(.forbidden, type: "origin-not-allowed", title: "Origin not allowed for this tenant")
        }
        let userAgent = request.headers[.userAgent].map { StorableText.storable(String($0.prefix(512))) }
        return try await TrackEventAcceptor(deps: deps).accept(
            parsed, tenant: tenant.id, priority: priority, reporter: .browser,
            connectionIP: deps.clientIP(request, context), connectionUserAgent: userAgent)
    }

    /// CORS preflight for `/track/*`. A preflight carries no body, so it is allowed for any origin
    /// that some tenant lists; the POST itself is checked against its own tenant.
    func preflight(_ request: Request, context: IngestRequestContext) async throws -> Response {
        guard let origin = Cors.allowedOrigin(request.headers[.origin], in: deps.snapshots.snapshot?.allOrigins ?? []) else {
            return Response(status: .forbidden)
        }
        var headers = HTTPFields()
        Cors.apply(origin: origin, to: &headers)
        headers[.accessControlAllowMethods] = "POST, OPTIONS"
        headers[.accessControlAllowHeaders] = "Content-Type"
        headers[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: headers)
    }
}

/// Reads a request body up to `limit` bytes; 413 when the declared or actual size is larger,
/// without reading the rest.
func collectBody(_ request: Request, limit: Int) async throws -> [UInt8] {
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
        throw Problem.tooLarge(limit: limit)
    }
    do {
        let buffer = try await request.body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    } catch is NIOTooManyBytesError {
        throw Problem.tooLarge(limit: limit)
    }
}

enum Cors {
    static func allowedOrigin(_ origin: String?, in allowed: Set<String>) -> String? {
        guard let origin, allowed.contains(origin) else { return nil }
        return origin
    }

    static func apply(origin: String, to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
    }
}

func jsonString(_ s: String) -> String {
    var w = JSONWriter(profile: .stored, capacity: s.utf8.count + 2)
    w.string(s)
    return w.text
}
