import Foundation
import Hummingbird
import Synchronization

/// A fast stand-in for Meta's Conversions API edge, built only for `scripts/bench`: it answers
/// `POST /{version}/{pixel}/events` like Meta does on success
/// (`{"events_received":N,"messages":[],"fbtrace_id":"…"}`) after a fixed latency, and counts
/// what it received, so the dispatchd benchmark can check that every event arrived once.
///
/// Unlike the integration tests' `FakeMetaServer` it keeps nothing per event: it must never be
/// the bottleneck of the benchmark (its own CPU time is measured and reported).
///
/// Usage: `bench-fakemeta PORT [LATENCY_MS]`; `GET /stats` → `{"requests":R,"events":E,"rejected":X}`.
let arguments = CommandLine.arguments.dropFirst()
let port = Int(arguments.first ?? "") ?? 7305
let latency = Duration.milliseconds(Int(arguments.dropFirst().first ?? "") ?? 5)

let requests = Atomic<Int>(0)
let events = Atomic<Int>(0)
let rejected = Atomic<Int>(0)
let traceCounter = Atomic<Int>(0)

let router = Router()
router.post("/:version/:pixel/events") { request, _ -> Response in
    let body = try await request.body.collect(upTo: 16 << 20)
    let count = body.withUnsafeReadableBytes { EventCounter.countDataElements(in: $0) }
    try await Task.sleep(for: latency)
    requests.add(1, ordering: .relaxed)
    guard let count, (1...1000).contains(count), request.uri.query?.contains("access_token=") == true else {
        // What Meta answers for an empty or oversized batch (code 100, invalid parameter).
        rejected.add(1, ordering: .relaxed)
        return Response(status: .badRequest, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string:
            #"{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804008,"fbtrace_id":"BenchFakeMeta"}}"#)))
    }
    events.add(count, ordering: .relaxed)
    let trace = "BFM" + String(traceCounter.add(1, ordering: .relaxed).newValue, radix: 36)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string:
        #"{"events_received":\#(count),"messages":[],"fbtrace_id":"\#(trace)"}"#)))
}
router.get("/stats") { _, _ -> Response in
    let json = #"{"requests":\#(requests.load(ordering: .relaxed)),"events":\#(events.load(ordering: .relaxed)),"rejected":\#(rejected.load(ordering: .relaxed))}"#
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil))
try await app.runService()
