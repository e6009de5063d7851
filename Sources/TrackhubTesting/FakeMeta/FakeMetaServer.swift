public import Foundation

/// The fake Meta served in-process on 127.0.0.1 (port chosen by the OS), for integration tests:
/// `eventsURL(pixel:)` in place of `https://graph.facebook.com`, the token in the body.
///
/// Programming and queries go to `meta` (the one `FakeMeta`); the most used ones are forwarded
/// here so a test reads `server.acceptedCount(…)`. The dispatcher talks to it over real HTTP
/// through the real `CurlHTTPClient`.
public final class FakeMetaServer: Sendable {
    public let meta: FakeMeta
    private let http: FakeHTTPServer

    public var port: Int { http.port }
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { http.baseURL }

    private init(meta: FakeMeta, http: FakeHTTPServer) {
        self.meta = meta
        self.http = http
    }

    /// Starts the fake and returns once it is listening. Throws if it could not bind or did not
    /// start within 10 seconds.
    public static func start(options: FakeMetaOptions = FakeMetaOptions()) async throws -> FakeMetaServer {
        let meta = FakeMeta(options: options)
        let http = try await FakeHTTPServer.start(
            routes: [FakeGraphRoutes(meta: meta)], name: "FakeMeta", logLevel: options.logLevel,
            beforeStop: { meta.beginStopping() }
        )
        return FakeMetaServer(meta: meta, http: http)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returns or throws.
    public static func withServer<T: Sendable>(
        options: FakeMetaOptions = FakeMetaOptions(),
        _ body: (FakeMetaServer) async throws -> T
    ) async throws -> T {
        try await withFakeServer(try await start(options: options), stop: { await $0.stop() }, body)
    }

    /// Stops listening and waits for the app to finish. Requests still sleeping in a `.delay`
    /// are cut short and answered 503 without accepting anything. Idempotent.
    public func stop() async {
        await http.stop()
    }

    /// The CAPI URL for `pixel`. The token goes in the body (`CAPIRequestBody.withAccessToken`):
    /// the fake refuses one in the URL.
    public func eventsURL(pixel: String, version: String = "v25.0") -> String {
        "\(baseURL)/\(version)/\(pixel)/events"
    }

    // MARK: Programming (see `FakeMeta`)

    public func setBehaviour(_ behaviour: FakeMetaBehaviour, pixel: String) { meta.setBehaviour(behaviour, pixel: pixel) }
    public func behaviour(pixel: String) -> FakeMetaBehaviour { meta.behaviour(pixel: pixel) }
    public var defaultBehaviour: FakeMetaBehaviour {
        get { meta.defaultBehaviour }
        set { meta.defaultBehaviour = newValue }
    }
    public func expectToken(pixel: String, token: String) { meta.expectToken(pixel: pixel, token: token) }
    public func setRetryAfter(seconds: Int?, pixel: String) { meta.setRetryAfter(seconds: seconds, pixel: pixel) }
    public var rejectEventIDs: Set<String> {
        get { meta.rejectEventIDs }
        set { meta.rejectEventIDs = newValue }
    }
    public func clearRecords() { meta.clearRecords() }

    // MARK: Queries (see `FakeMeta+Queries.swift`)

    public func requests(pixel: String? = nil) -> [FakeMetaRecordedRequest] { meta.requests(pixel: pixel) }
    public func acceptedEvents(pixel: String? = nil) -> [FakeMetaAcceptedEvent] { meta.acceptedEvents(pixel: pixel) }
    public func acceptedCount(pixel: String? = nil, eventName: String? = nil, eventID: String? = nil) -> Int {
        meta.acceptedCount(pixel: pixel, eventName: eventName, eventID: eventID)
    }
    public func duplicates() -> [FakeMetaDuplicate] { meta.duplicates() }
    public func summary() -> String { meta.summary() }

    @discardableResult
    public func waitFor(count: Int, pixel: String? = nil, eventName: String? = nil, timeout: Duration = .seconds(10))
        async throws -> [FakeMetaAcceptedEvent]
    {
        try await meta.waitFor(count: count, pixel: pixel, eventName: eventName, timeout: timeout)
    }

    @discardableResult
    public func waitForRequests(count: Int, pixel: String? = nil, timeout: Duration = .seconds(10)) async throws -> [FakeMetaRecordedRequest] {
        try await meta.waitForRequests(count: count, pixel: pixel, timeout: timeout)
    }
}
