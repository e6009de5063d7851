/// A seller's own bot backend, as Trackhub relays bot updates to it (`settings.forward_url`
/// = ``url``): a ``FakeInbox`` served in-process on 127.0.0.1 at `POST /telegram`.
///
/// Down-then-up: start it on a port only after dispatchd has already been refused a
/// connection there (``start(port:inbox:)``).
public final class FakeBotBackendServer: Sendable {
    public let inbox: FakeInbox
    private let http: FakeHTTPServer

    public var port: Int { http.port }
    /// `http://127.0.0.1:PORT/telegram`.
    public var url: String { http.baseURL + "/telegram" }

    private init(inbox: FakeInbox, http: FakeHTTPServer) {
        self.inbox = inbox
        self.http = http
    }

    /// Starts listening on `port` (0: chosen by the OS), recording into `inbox`.
    public static func start(port: Int = 0, inbox: FakeInbox = FakeInbox()) async throws -> FakeBotBackendServer {
        let http = try await FakeHTTPServer.start(routes: [FakeInboxRoutes(path: "telegram", inbox: inbox)], port: port, name: "FakeBotBackend")
        return FakeBotBackendServer(inbox: inbox, http: http)
    }

    /// Stops listening. Idempotent.
    public func stop() async {
        await http.stop()
    }
}
