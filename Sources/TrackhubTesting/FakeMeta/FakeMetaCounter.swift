public import Hummingbird
import HTTPTypes
import NIOCore
import Synchronization

/// The fake Meta's counting-only mode, for `scripts/bench`: answers the events edge like Meta
/// on success after a fixed latency and counts what it received, so the benchmark can check
/// that every event arrived once — and keeps nothing per event, so it is never the bottleneck
/// (its own CPU time is measured and reported).
///
/// No validation beyond the batch size and a token in the body (none in the URL, as the full fake
/// requires): counting scans the bytes
/// once (`FakeMetaEventCounter`) without building a JSON tree. `GET /stats` answers
/// `{"requests":R,"events":E,"rejected":X}`.
public final class FakeMetaCounter: FakeRoutes {
    public let latency: Duration
    private let requests = Atomic<Int>(0)
    private let events = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)
    private let traces = Atomic<Int>(0)

    public init(latency: Duration) {
        self.latency = latency
    }

    /// (requests, events, rejected) so far.
    public var counts: (requests: Int, events: Int, rejected: Int) {
        (requests.load(ordering: .relaxed), events.load(ordering: .relaxed), rejected.load(ordering: .relaxed))
    }

    public func register(on router: Router<BasicRequestContext>) {
        router.post(":version/:pixel/events") { request, _ -> Response in
            try await self.events(request)
        }
        router.get("stats") { _, _ -> Response in
            let (requests, events, rejected) = self.counts
            return Self.json(.ok, #"{"requests":\#(requests),"events":\#(events),"rejected":\#(rejected)}"#)
        }
    }

    private func events(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        let count = body.withUnsafeReadableBytes { FakeMetaEventCounter.countDataElements(in: $0) }
        let tokenInBody = body.readableBytesView.starts(with: Self.tokenMember)
        if latency > .zero { try await Task.sleep(for: latency) }
        requests.add(1, ordering: .relaxed)
        guard let count, (1...FakeMeta.maxEventsPerRequest).contains(count), tokenInBody, request.uri.query?.contains("access_token=") != true else {
            // What Meta answers for an empty or oversized batch (code 100, invalid parameter).
            rejected.add(1, ordering: .relaxed)
            return Self.json(.badRequest,
                #"{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804008,"fbtrace_id":"FakeMetaCounter"}}"#)
        }
        events.add(count, ordering: .relaxed)
        let trace = "FMC" + String(traces.add(1, ordering: .relaxed).newValue, radix: 36)
        return Self.json(.ok, #"{"events_received":\#(count),"messages":[],"fbtrace_id":"\#(trace)"}"#)
    }

    /// How Trackhub's bodies begin (``CAPIRequestBody/withAccessToken(_:_:)``).
    static let tokenMember = Array(#"{"access_token":""#.utf8)

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
