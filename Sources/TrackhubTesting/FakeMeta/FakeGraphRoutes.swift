public import Hummingbird
import HTTPTypes
import NIOCore

/// Meta's Graph API as the fake serves it: the Conversions API events edge, the pixel read and
/// the ad account insights read (`FakeMeta+Insights.swift`).
///
/// More Graph edges go here as routes on the same `:version` prefix, each answered by the same
/// `FakeMeta` (its pixels, tokens and behaviours): the pixel read `GET /:version/:pixel`, test
/// events (`test_event_code` is already recorded per request) and the insights endpoint.
public struct FakeGraphRoutes: FakeRoutes {
    public let meta: FakeMeta

    public init(meta: FakeMeta) {
        self.meta = meta
    }

    public func register(on router: Router<BasicRequestContext>) {
        let meta = self.meta
        router.post(":version/:pixel/events") { request, context in
            try await Self.events(meta, request, context)
        }
        // Graph object ids (pixel, ad account) share one parameter name: the router requires it.
        router.get(":version/:pixel/insights") { request, context in
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            let reply = meta.readInsights(
                version: context.parameters.get("version") ?? "", account: context.parameters.get("pixel") ?? "",
                token: query["access_token"] ?? Self.bearer(request.headers[.authorization]), query: query,
                host: request.head.authority ?? "127.0.0.1")
            var headers = HTTPFields()
            headers[.contentType] = reply.contentType
            return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        router.get(":version/:pixel") { request, context in
            let reply = meta.readPixel(
                version: context.parameters.get("version") ?? "", pixel: context.parameters.get("pixel") ?? "",
                token: request.uri.queryParameters["access_token"].map(String.init) ?? Self.bearer(request.headers[.authorization]),
                fields: request.uri.queryParameters["fields"].map(String.init))
            var headers = HTTPFields()
            headers[.contentType] = reply.contentType
            return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
    }

    /// The token of `Authorization: Bearer …` (or Graph's older `OAuth …`).
    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        for prefix in ["Bearer ", "OAuth "] where header.hasPrefix(prefix) { return String(header.dropFirst(prefix.count)) }
        return nil
    }

    private static func events(_ meta: FakeMeta, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let reply: FakeMetaReply
        do {
            let buffer = try await request.collectBody(upTo: meta.options.maxBodyBytes)
            reply = await meta.handle(
                version: context.parameters.get("version") ?? "",
                pixel: context.parameters.get("pixel") ?? "",
                queryToken: request.uri.queryParameters["access_token"].map(String.init),
                contentType: request.headers[.contentType] ?? "",
                body: Array(buffer.readableBytesView)
            )
        } catch {
            reply = .graphError(status: 413, code: 100, message: "(#100) Request body too large", fbtraceID: FakeMetaReply.newTraceID())
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        if let seconds = reply.retryAfter { headers[.retryAfter] = String(seconds) }
        return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
