public import Hummingbird
import HTTPTypes
import NIOCore

/// ``FakeInbox``'s one route: `POST /<path>`, answered with `{}` and the inbox's status.
public struct FakeInboxRoutes: FakeRoutes {
    public let path: String
    public let inbox: FakeInbox

    public init(path: String, inbox: FakeInbox) {
        self.path = path
        self.inbox = inbox
    }

    public func register(on router: Router<BasicRequestContext>) {
        let inbox = self.inbox
        router.post(RouterPath(path)) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = inbox.record(Array(body.readableBytesView), headers: headers)
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
    }
}
