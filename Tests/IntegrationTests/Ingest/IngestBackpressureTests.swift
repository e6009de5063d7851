import Foundation
import Testing
import TrackhubCore

/// Backpressure instead of exhaustion (issue 14, item 5): while Redis is away the spool stops at
/// `TRACKHUB_SPOOL_MAX_BYTES` and ingestd answers `503 overloaded` + `Retry-After` (nothing it
/// accepted is lost); above Redis' memory watermark it refuses new events the same way, and
/// takes them again once Redis has room.
@Suite("ingestd backpressure", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"), .serialized)
struct IngestBackpressureTests {
    private static func clickID(_ r: RawHTTP.Response) -> String? {
        URLComponents(string: r.header("Location") ?? "")?.queryItems?.first { $0.name == "sck" }?.value
    }

    @Test("Redis down, spool capped at 64 KiB: the flood is refused with 503 overloaded, the spool stays under the cap, every accepted click reaches Redis once")
    func spoolCap() async throws {
        let redis = try PrivateRedis(name: "spoolcap")
        let f = try IngestFixture(name: "spoolcap", redisURL: redis.url)
        let cap = 65_536
        try await f.start(extraEnv: ["TRACKHUB_SPOOL_MAX_BYTES": "\(cap)"])
        defer { Task { await f.stop() } }
        redis.stop()

        var accepted: [String] = []
        var refused: [RawHTTP.Response] = []
        for i in 0..<600 {
            let r = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=flood\(i)&utm_campaign=\(String(repeating: "c", count: 200))")
            if r.status == 302, let id = Self.clickID(r) { accepted.append(id) } else { refused.append(r) }
            if refused.count >= 20 { break }
        }
        #expect(accepted.count > 20, "the spool took clicks until it was full")
        #expect(refused.count == 20, "the flood was refused once the spool was full")
        for r in refused {
            #expect(r.status == 503)
            #expect(r.header("Retry-After") == "5")
            #expect(r.json?["type"] as? String == "urn:trackhub:problem:overloaded")
        }
        let ready = try await RawHTTP.get(port: f.port, "/readyz")
        #expect(ready.status == 503, "not ready with a full spool and no Redis")
        #expect(ready.json?["spool_full"] as? Bool == true)
        let size = (try FileManager.default.attributesOfItem(atPath: f.dir + "/spool/spool.log")[.size] as? Int) ?? -1
        #expect(size > 0 && size <= cap, "spool file \(size) bytes, cap \(cap)")

        try redis.start()
        try await f.waitSpoolDrained()
        let after = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=after")
        #expect(after.status == 302, "accepting again once Redis is back")
        let inRedis = try f.envelopes(.normal).map(\.1.id)
        #expect(inRedis.count == Set(inRedis).count, "an envelope arrived twice")
        #expect(Array(inRedis.prefix(accepted.count)) == accepted, "every accepted click, once, in order")
        print("spool cap: accepted=\(accepted.count) refused=\(refused.count) spool_bytes=\(size) cap=\(cap) in_redis=\(inRedis.count) lost=\(Set(accepted).subtracting(inRedis).count)")
    }

    @Test("Redis memory above the watermark: new events refused with 503 overloaded and /readyz not ready; accepted again when Redis has room")
    func memoryWatermark() async throws {
        let redis = try PrivateRedis(name: "watermark")
        let f = try IngestFixture(name: "watermark", redisURL: redis.url)
        try await f.start(extraEnv: ["TRACKHUB_REDIS_MEMORY_WATERMARK_PERCENT": "50"])
        defer { Task { await f.stop() } }
        let first = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=before")
        #expect(first.status == 302)

        let admin = try RedisConnection(endpoint: redis.endpoint)
        guard case .string(let text) = try admin.command(["INFO", "memory"]),
              let usage = RedisMemoryUsage(info: String(decoding: text, as: UTF8.self)) else {
            Issue.record("INFO memory unreadable")
            return
        }
        // Used memory at ~80% of the limit: well over the 50% watermark and under Redis' own
        // refusal, with room for the tens of KB a small Redis' use moves by (client buffers).
        try admin.checked(["CONFIG", "SET", "maxmemory", "\(usage.used * 100 / 80)"])
        var shed: RawHTTP.Response?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let r = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=high")
            if r.status == 503 { shed = r; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(shed?.header("Retry-After") == "5")
        #expect(shed?.json?["type"] as? String == "urn:trackhub:problem:overloaded")
        let ready = try await RawHTTP.get(port: f.port, "/readyz")
        #expect(ready.status == 503)
        #expect(ready.json?["redis_memory_high"] as? Bool == true)

        try admin.checked(["CONFIG", "SET", "maxmemory", "0"])
        var back = false
        let until = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < until {
            if try await RawHTTP.get(port: f.port, "/go/hot?utm_content=room").status == 302 { back = true; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(back, "accepting again once Redis has room")
    }
}
