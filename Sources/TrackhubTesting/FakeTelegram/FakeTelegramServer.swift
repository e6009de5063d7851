import Logging
public import TrackhubCore

/// The fake Telegram Bot API served in-process on 127.0.0.1 (port chosen by the OS), for tests:
/// ``baseURL`` in place of `https://api.telegram.org`. It pushes updates to webhooks through a
/// small ``CurlClientPool`` of its own, run in the server's service group.
public final class FakeTelegramServer: Sendable {
    public let telegram: FakeTelegram
    private let http: FakeHTTPServer

    public var port: Int { http.port }
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { http.baseURL }

    private init(telegram: FakeTelegram, http: FakeHTTPServer) {
        self.telegram = telegram
        self.http = http
    }

    /// Starts the fake and returns once it is listening.
    public static func start() async throws -> FakeTelegramServer {
        let pusher = try CurlClientPool(size: 2, threadName: "th-fake-tg")
        let telegram = FakeTelegram(pusher: pusher)
        let http = try await FakeHTTPServer.start(routes: [FakeTelegramRoutes(telegram: telegram)], name: "FakeTelegram",
                                                  logLevel: .warning, services: [pusher])
        return FakeTelegramServer(telegram: telegram, http: http)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returns or throws.
    public static func withServer<T: Sendable>(_ body: (FakeTelegramServer) async throws -> T) async throws -> T {
        try await withFakeServer(try await start(), stop: { await $0.stop() }, body)
    }

    /// Stops listening and the pusher. Idempotent.
    public func stop() async {
        await http.stop()
    }
}
