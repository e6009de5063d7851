import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import TrackhubCore

/// `POST /s2s/{event}`: a funnel event sent by the seller's own server or bot, authenticated
/// with a per-tenant ingest key (`Authorization: Bearer ths_…`, checked against the hashes in
/// the config snapshot — ingestd never reads Postgres).
///
/// The body is `/track`'s, plus the end user's own `client_ip_address` / `client_user_agent`
/// when the caller knows them. The connection's IP and user agent are the server's and are
/// never recorded as the person's: dispatchd lends the click's (by `click_id`) instead
/// (``EndUserContext``). No CORS and no cookie: a server is not a browser.
///
/// A missing or wrong key: 401 problem+json with `WWW-Authenticate`, nothing appended, counted
/// by `trackhub_s2s_rejected_total{reason}`. A `tenant` in the body other than the key's: 403.
struct S2SRoute: Sendable {
    let deps: IngestDependencies

    func handle(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let (event, priority, snapshot) = try TrackEventAcceptor(deps: deps).route(context)
        // The key first: an unauthenticated caller learns nothing about the body's validity.
        let tenant: String
        switch IngestKeyCheck.check(authorization: request.headers[.authorization], keys: snapshot.ingestKeys) {
        case .accepted(let t):
            tenant = t
        case .rejected(let reason):
            Counter(label: "trackhub_s2s_rejected_total", dimensions: [("reason", reason.rawValue)]).increment()
            deps.logger.notice("s2s call rejected", metadata: [LogKey.reason: "\(reason.rawValue)", LogKey.trackEvent: "\(event)"])
            throw Problem.ingestKeyRejected(reason)
        }
        let body = try await collectBody(request, limit: deps.maxBodyBytes)
        let parsed: TrackRequestValidator.Parsed
        switch TrackRequestValidator.validate(event: event, body: body, reporter: .server) {
        case .success(let p): parsed = p
        case .failure(let problem): throw problem
        }
        if let named = parsed.tenant, named != tenant {
            throw Problem(.forbidden, type: "tenant-mismatch", title: "This key belongs to another tenant",
                          detail: "leave tenant out, or use this tenant's own key")
        }
        Counter(label: "trackhub_s2s_accepted_total", dimensions: [("tenant", tenant)]).increment()
        return try await TrackEventAcceptor(deps: deps).accept(
            parsed, tenant: tenant, priority: priority, reporter: .server, connectionIP: nil, connectionUserAgent: nil)
    }
}
