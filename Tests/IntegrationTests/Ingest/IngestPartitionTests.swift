import Foundation
import Testing
import TrackhubCore

/// Redis hung rather than down (found by scripts/faults, scenario 4): the kernel still accepts
/// connections, nothing answers. ingestd must keep answering from its spool without re-sending
/// spooled envelopes into the hung server on every reconnect attempt (each such attempt is
/// executed when Redis resumes, which put up to 13 copies of an envelope in the stream).
@Suite("ingestd with a hung Redis", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"), .serialized)
struct IngestPartitionTests {
    @Test("Redis frozen (SIGSTOP) for 6 s: every click answered; afterwards each envelope is in the stream, copies only from the write cut by the freeze")
    func frozenRedis() async throws {
        let redis = try PrivateRedis(name: "frozen")
        let f = try IngestFixture(name: "frozen", redisURL: redis.url)
        // 250 ms rather than the 50 ms default: on a loaded test machine a healthy Redis can take
        // over 50 ms to fsync a reply, and each such timeout (by design) adds one copy that
        // dispatchd drops by envelope id; this test counts copies made by re-sends to a hung Redis.
        try await f.start(extraEnv: ["TRACKHUB_INGEST_REDIS_TIMEOUT_MS": "250"])
        defer { Task { redis.thaw(); await f.stop() } }

        var accepted: [String] = []
        var frozenAnswers: [Duration] = []
        var frozen = false
        func click(_ i: Int) async throws {
            let start = ContinuousClock.now
            let r = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=n\(i)")
            #expect(r.status == 302, "request \(i) answered \(r.status)")
            if frozen { frozenAnswers.append(ContinuousClock.now - start) }
            if let loc = r.header("Location"), let sck = URLComponents(string: loc)?.queryItems?.first(where: { $0.name == "sck" })?.value {
                accepted.append(sck)
            }
        }
        for i in 0..<10 { try await click(i) }
        redis.freeze()
        frozen = true
        let frozenUntil = ContinuousClock.now + .seconds(6)
        var i = 10
        while ContinuousClock.now < frozenUntil {
            try await click(i)
            i += 1
            try await Task.sleep(for: .milliseconds(50))
        }
        redis.thaw()
        frozen = false
        for j in i..<(i + 10) { try await click(j) }

        try await f.waitSpoolDrained()
        let inRedis = try f.envelopes(.normal).map(\.1.id)
        let copies = Dictionary(inRedis.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(Set(accepted).isSubset(of: Set(inRedis)), "every accepted click is in the stream")
        // Sequential requests: only the one append in flight when Redis froze may be both in
        // Redis and in the spool. Before the fix every reconnect re-sent the spool.
        let repeated = copies.filter { $0.value > 1 }
        #expect(repeated.count <= 1 && (repeated.values.max() ?? 1) <= 2, "copies: \(repeated)")
        // Redis gets TRACKHUB_INGEST_REDIS_TIMEOUT_MS (250 ms here) to answer a batch or a reconnect's
        // PING before the spool takes over. Before that fix every request of the freeze waited
        // about 2 s; the median says which behaviour this is without failing on one request a
        // starved CI machine delayed (the latency figure itself belongs to scripts/faults, scenario 4).
        let sorted = frozenAnswers.sorted()
        let median = sorted.isEmpty ? Duration.zero : sorted[sorted.count / 2]
        #expect(!sorted.isEmpty && median < .milliseconds(1500), "median answer during the freeze \(median) over \(sorted.count) requests")
        print("frozen redis: accepted=\(accepted.count) in_redis=\(inRedis.count) duplicated_envelopes=\(repeated.count) answers_during_freeze=\(sorted.count) median=\(median) max=\(sorted.last ?? .zero)")
    }
}
