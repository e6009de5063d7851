import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// The durability rule: every 2xx/302 is durable. With Redis stopped mid-run, ingestd keeps
/// answering from its fsynced spool; when Redis returns, every spooled envelope arrives exactly
/// once and in order. A restart while Redis is down still serves redirects (snapshot cache).
@Suite("ingestd durability", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"), .serialized)
struct IngestDurabilityTests {
    @Test("Redis stopped mid-run: requests still succeed; afterwards every envelope arrives once, in order")
    func redisOutage() async throws {
        let redis = try PrivateRedis(name: "outage")
        let f = try IngestFixture(name: "outage", redisURL: redis.url)
        try await f.start()
        defer { Task { await f.stop() } }

        var acceptedIDs: [String] = []
        func click(_ i: Int) async throws {
            let r = try await RawHTTP.get(port: f.port, "/go/hot?utm_content=n\(i)")
            #expect(r.status == 302, "request \(i) answered \(r.status)")
            if let loc = r.header("Location"), let sck = URLComponents(string: loc)?.queryItems?.first(where: { $0.name == "sck" })?.value {
                acceptedIDs.append(sck)
            }
        }
        for i in 0..<30 { try await click(i) }
        redis.stop()
        var latencies: [Duration] = []
        for i in 30..<90 {
            let start = ContinuousClock.now
            try await click(i)
            latencies.append(ContinuousClock.now - start)
        }
        // A webhook during the outage is accepted too (spooled on the high stream).
        let hook = GatewaySamples.signed(.hotmart, transaction: "OUTAGE1")
        let w = try await RawHTTP.request(port: f.port, method: "POST", target: hook.target, headers: hook.headers, body: hook.body)
        #expect(w.status == 200)
        let ready = try await RawHTTP.get(port: f.port, "/readyz")
        #expect(ready.json?["redis_connected"] as? Bool == false)
        #expect((ready.json?["spool_pending"] as? Int ?? 0) >= 60)

        try redis.start()
        for i in 90..<100 { try await click(i) }

        try await f.waitSpoolDrained()
        let inRedis = try f.envelopes(.normal).map(\.1.id)
        #expect(acceptedIDs.count == 100)
        #expect(inRedis.count == Set(inRedis).count, "an envelope arrived twice")
        #expect(inRedis == acceptedIDs, "every accepted click, exactly once and in order")
        #expect(try f.envelopes(.high).count == 1)
        let sorted = latencies.sorted()
        print("outage: accepted=\(acceptedIDs.count) in_redis=\(inRedis.count) spooled_p50=\(sorted[sorted.count / 2]) spooled_max=\(sorted.last!)")
    }

    @Test("restart while Redis is down: redirects are served from the cached snapshot and spooled")
    func restartWithoutRedis() async throws {
        let redis = try PrivateRedis(name: "cold")
        let f = try IngestFixture(name: "cold", redisURL: redis.url)
        try await f.start()
        _ = try await RawHTTP.get(port: f.port, "/go/hot")
        #expect(await f.daemon.terminate() == 0)
        redis.stop()
        try await f.launch()
        try await f.waitReady()
        let r = try await RawHTTP.get(port: f.port, "/go/kiwi")
        #expect(r.status == 302)
        let sck = URLComponents(string: r.header("Location") ?? "")?.queryItems?.first { $0.name == "sck" }?.value
        try redis.start()
        let deadline = ContinuousClock.now + .seconds(20)
        var ids: [String] = []
        while ContinuousClock.now < deadline {
            ids = (try? f.envelopes(.normal).map(\.1.id)) ?? []
            if ids.count == 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ids.count == 2)
        #expect(ids.last == sck)
        await f.stop()
    }

    @Test("kill -9 of ingestd after answering: every acknowledged envelope is in Redis")
    func killAfterAnswer() async throws {
        let f = try IngestFixture(name: "kill")
        try await f.start()
        var ids: [String] = []
        try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let r = try await RawHTTP.get(port: f.port, "/go/page?utm_term=k\(i)")
                    return r.status == 302 ? URLComponents(string: r.header("Location") ?? "")?.queryItems?.first { $0.name == "cid" }?.value : nil
                }
            }
            for try await id in group { if let id { ids.append(id) } }
        }
        f.daemon.kill9()
        let inRedis = Set(try f.envelopes(.normal).map(\.1.id))
        #expect(ids.count == 64)
        #expect(Set(ids).isSubset(of: inRedis))
    }
}
