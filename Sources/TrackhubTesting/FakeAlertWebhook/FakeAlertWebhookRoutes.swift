public import Hummingbird
import NIOCore

/// ``FakeAlertWebhook``'s one route: `POST /alerts`.
public struct FakeAlertWebhookRoutes: FakeRoutes {
    public let webhook: FakeAlertWebhook

    public init(webhook: FakeAlertWebhook) {
        self.webhook = webhook
    }

    public func register(on router: Router<BasicRequestContext>) {
        let fake = webhook
        router.post("alerts") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let status = fake.record(String(buffer: body))
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
    }
}
