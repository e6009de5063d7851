import Foundation
import HTTPTypes
import Hummingbird
import Logging
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

    func handle(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let snapshot = deps.snapshots.snapshot else { throw Problem.notReady }
        guard let link = snapshot.links[slug] else { throw Problem.notFound("unknown link") }

        let now = Date()
        let clickID = ClickID.generate(now: now)
        let query = QueryString.parse(request.uri.query ?? "")
        var utm: [String: String] = [:]
        var fbclid: String?
        var gclid: String?
        var ttclid: String?
        // What is kept is storable (``StorableText``: a NUL becomes U+FFFD); the destination
        // below is built from the query as it arrived, percent-encoded.
        for (name, value) in query {
            if name.hasPrefix("utm_"), name.count <= 32, utm[name] == nil { utm[StorableText.storable(name)] = StorableText.storable(String(value.prefix(512))) }
            else if name == "fbclid", fbclid == nil { fbclid = value }
            else if name == "gclid", gclid == nil { gclid = StorableText.storable(String(value.prefix(512))) }
            else if name == "ttclid", ttclid == nil { ttclid = StorableText.storable(String(value.prefix(512))) }
        }
        let fbc = fbclid.flatMap { FBC.make(fbclid: $0, clickTime: now) }
        let cookies = request.cookies
        let fbp = cookies["_fbp"].map(\.value).flatMap { FBC.isValidCookie($0) ? $0 : nil }
        let location = DestinationURLBuilder.build(destination: link.destination, clickID: clickID, requestParameters: query)

        let envelope = Envelope(
            id: clickID, kind: .click, receivedAt: Int64(now.timeIntervalSince1970 * 1000), tenant: link.tenant,
            click: .init(slug: slug, pixel: link.pixel, clickId: clickID,
                         ip: deps.clientIP(request, context),
                         userAgent: request.headers[.userAgent].map { StorableText.storable(String($0.prefix(512))) },
                         referrer: request.headers[.referer].map { StorableText.storable(String($0.prefix(2048))) }, utm: utm,
                         fbclid: fbc == nil ? nil : fbclid, gclid: gclid, ttclid: ttclid, fbc: fbc, fbp: fbp,
                         destination: location)
        )
        let durability = try await deps.append(envelope, priority: .normal)
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
