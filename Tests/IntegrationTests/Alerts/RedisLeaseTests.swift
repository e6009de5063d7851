import Foundation
import Testing
import TrackhubCore

@Suite("Redis lease", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct RedisLeaseTests {
    @Test("one holder at a time: renew keeps it, another is refused, release or expiry frees it")
    func exclusive() async throws {
        let redis = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
        defer { redis.close() }
        let key = TestEnvironment.uniquePrefix("lease") + ":alerts:lease"
        defer { _ = try? redis.command(["DEL", key]) }
        let a = RedisLease(key: key, token: "a:1", ttl: .milliseconds(600))
        let b = RedisLease(key: key, token: "b:1", ttl: .milliseconds(600))
        #expect(try a.acquireOrRenew(connection: redis))
        #expect(try !b.acquireOrRenew(connection: redis))
        #expect(try a.acquireOrRenew(connection: redis), "the holder renews")
        #expect(try a.holder(connection: redis) == "a:1")
        #expect(try !b.release(connection: redis), "only the holder releases")
        #expect(try a.release(connection: redis))
        #expect(try b.acquireOrRenew(connection: redis), "free after release")
        // b stops renewing (it died): after the ttl, a takes over.
        try await Task.sleep(for: .milliseconds(800))
        #expect(try a.acquireOrRenew(connection: redis))
        #expect(try a.holder(connection: redis) == "a:1")
        let ttl = try redis.command(["PTTL", key]).int ?? -1
        #expect(ttl > 0 && ttl <= 600)
    }
}
