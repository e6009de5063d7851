public import Hummingbird
import HTTPTypes
import NIOCore

/// The Bot API as the fake serves it, `GET|POST /bot<token>/<method>`, and its control API under
/// `/_telegram/<action>` (``FakeTelegramControl``) on the same two-segment route.
///
/// Runs on a server of its own (``FakeTelegramServer``, `trackhub-fake telegram`): its
/// `/:segment/:method` route would shadow the fake Graph API's `/:version/:pixel`.
public struct FakeTelegramRoutes: FakeRoutes {
    public let telegram: FakeTelegram

    public init(telegram: FakeTelegram) {
        self.telegram = telegram
    }

    public func register(on router: Router<BasicRequestContext>) {
        let telegram = self.telegram
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let segment = context.parameters.get("segment") ?? ""
            let method = context.parameters.get("method") ?? ""
            var request = request
            let body: [UInt8]
            do {
                body = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
            } catch {
                return Self.response(.error(413, "Request Entity Too Large"))
            }
            if segment == "_telegram" {
                let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
                return Self.response(await FakeTelegramControl.apply(action: method, query: query, body: body, telegram: telegram))
            }
            return Self.response(telegram.handle(segment: segment, method: method, body: body))
        }
        router.post(":segment/:method", use: handler)
        router.get(":segment/:method", use: handler)
    }

    static func response(_ reply: FakeTelegramReply) -> Response {
        Response(status: .init(code: reply.status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: reply.body.jsonText)))
    }
}
