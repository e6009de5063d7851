import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import TrackhubCore

/// `GET /go/{slug}`: record the click, then send the person to the link's configured
/// destination with the click id carried where that destination hands it back.
///
/// Only the configured destination can be the `Location`; the request contributes nothing but
/// `utm_*` values (encoded by ``DestinationURLBuilder``) and the click id.
struct GoRoute: Sendable {
    let deps: IngestDependencies

    static let cookieName = "th_cid"
    static let cookieMaxAge = 90 * 24 * 3600
    /// Byte limits of the kept headers: with ``ClickParameters``' budget they bound a click
    /// envelope to about 4 KB plus the link's configured destination.
    static let maxReferrerBytes = 1024
    static let maxUserAgentBytes = 512

    func handle(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let snapshot = deps.snapshots.snapshot else { throw Problem.notReady }
        guard let link = snapshot.links[slug] else { throw Problem.notFound("unknown link") }

        let now = Date()
        let clickID = ClickID.generate(now: now)
        let query = QueryString.parse(request.uri.query ?? "")
        // Bounded and storable (``ClickParameters``); the destination carries only what is kept.
        let kept = ClickParameters(query: query, limits: deps.clickLimits)
        let fbc = kept.fbclid.flatMap { FBC.make(fbclid: $0, clickTime: now) }
        let cookies = request.cookies
        let fbp = cookies["_fbp"].map(\.value).flatMap { FBC.isValidCookie($0) ? $0 : nil }
        let location = DestinationURLBuilder.build(destination: link.destination, clickID: clickID, requestParameters: kept.forwarded,
                                                   deadBots: deps.snapshots.deadBots)
        // The Referer keeps only campaign and click-id parameters: no personal data from a URL.
        let referrer = request.headers[.referer].map {
            StorableText.storable(String(deps.urlQueryAllowList.filtered($0).utf8Prefix(Self.maxReferrerBytes)))
        }

        let envelope = Envelope(
            id: clickID, kind: .click, receivedAt: Int64(now.timeIntervalSince1970 * 1000), tenant: link.tenant,
            click: .init(slug: slug, pixel: link.pixel, clickId: clickID,
                         ip: deps.clientIP(request, context),
                         userAgent: request.headers[.userAgent].map { StorableText.storable(String($0.utf8Prefix(Self.maxUserAgentBytes))) },
                         referrer: referrer, utm: kept.utm,
                         fbclid: fbc == nil ? nil : kept.fbclid, gclid: kept.gclid, ttclid: kept.ttclid, fbc: fbc, fbp: fbp,
                         destination: location)
        )
        let durability = try await deps.append(envelope, priority: .normal)
        if kept.dropped > 0 { Counter(label: "trackhub_click_params_dropped_total").increment(by: kept.dropped) }
        deps.logger.debug("click accepted", metadata: [
            LogKey.clickID: "\(clickID)", LogKey.slug: "\(slug)", LogKey.durability: "\(durability.label)",
        ])

        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        headers[.setCookie] = cookie(clickID)
        headers[.referrerPolicy] = "no-referrer-when-downgrade"
        return Response(status: .found, headers: headers)
    }

    private func cookie(_ clickID: String) -> String {
        var c = "\(Self.cookieName)=\(clickID); Path=/; Max-Age=\(Self.cookieMaxAge); SameSite=Lax; HttpOnly"
        if let domain = deps.cookieDomain { c += "; Domain=\(domain)" }
        if deps.cookieSecure { c += "; Secure" }
        return c
    }
}

extension AppendDurability {
    var label: String {
        switch self {
        case .redis: return "redis"
        case .spool: return "spool"
        }
    }
}

extension IngestDependencies {
    /// The client's IP: the peer, or X-Forwarded-For when the peer is a trusted proxy.
    func clientIP(_ request: Request, _ context: IngestRequestContext) -> String? {
        let forwarded = request.headers[values: .xForwardedFor]
        return trustedProxies.resolve(peer: context.peerIP, forwardedFor: forwarded)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
