import Foundation
import Testing
import TrackhubCore

/// The forward queue's Redis scripts against a real Redis: idempotent enqueue, a chat's updates
/// one at a time in `update_id` order (the next one due as soon as the one before finishes),
/// other chats not held up, finished keys remembered, and a dead letter's replay queued again.
@Suite("telegram forward queue in Redis", .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis)"))
struct TelegramForwardScheduleTests {
    static func job(_ update: Int64, chat: Int64?) -> TelegramForward {
        TelegramForward(tenant: "t1", bot: "acme_bot", updateID: update, chat: chat, envelopeID: "e\(update)",
                        body: Sealed(text: "v1.k1.body\(update)"), queuedAtMs: 1)
    }

    @Test("per-chat order, other chats free, idempotent enqueue, done keys remembered, replay re-queues")
    func queue() throws {
        let redis = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
        defer { redis.close() }
        let layout = StreamLayout(prefix: TestEnvironment.uniquePrefix("tgfwd"))
        let schedule = TelegramForwardSchedule(layout: layout)
        defer {
            if let keys = try? redis.command(["KEYS", layout.prefix + ":*"]).elements.compactMap(\.text), !keys.isEmpty {
                _ = try? redis.command(["DEL"] + keys)
            }
        }
        let a1 = Self.job(10, chat: 5), a2 = Self.job(12, chat: 5), b1 = Self.job(11, chat: 6), lone = Self.job(13, chat: nil)
        #expect(try schedule.enqueue([a2, a1, b1, lone], connection: redis) == 4)
        #expect(try schedule.enqueue([a1, b1], connection: redis) == 0, "queued already")

        // Chat 5's older update (10) first, even though 12 was queued first; chat 6 and the lone one too.
        let first = try schedule.claim(limit: 10, lease: .seconds(30), connection: redis)
        #expect(Set(first.map(\.updateID)) == [10, 11, 13], "\(first.map(\.updateID))")
        #expect(try schedule.claim(limit: 10, lease: .seconds(30), connection: redis).isEmpty, "12 waits behind 10")

        // 10 fails: 12 still waits; 11 is delivered.
        var failed = a1
        failed.attempts = 1
        try schedule.retry(failed, atMs: Int64(Date().timeIntervalSince1970 * 1000) + 300, connection: redis)
        try schedule.finish(b1, remember: true, connection: redis)
        #expect(try schedule.claim(limit: 10, lease: .seconds(30), connection: redis).isEmpty)
        try await_(0.4)
        let retried = try schedule.claim(limit: 10, lease: .seconds(30), connection: redis)
        #expect(retried.map(\.updateID) == [10] && retried.first?.attempts == 1)

        // 10 delivered: 12 is due at once.
        try schedule.finish(retried[0], remember: true, connection: redis)
        #expect(try schedule.claim(limit: 10, lease: .seconds(30), connection: redis).map(\.updateID) == [12])
        try schedule.finish(a2, remember: true, connection: redis)
        try schedule.finish(lone, remember: false, connection: redis)
        let depth = try schedule.depth(connection: redis)
        #expect(depth.waiting == 0 && depth.inFlight == 0)

        // A redelivered update is not queued again; a dead-lettered one (not remembered) is, and a replay forces it.
        #expect(try schedule.enqueue([a1, b1], connection: redis) == 0)
        #expect(try schedule.enqueue([a1], force: true, connection: redis) == 1)
        #expect(try schedule.enqueue([lone], connection: redis) == 1)
        #expect(try schedule.depth(connection: redis).waiting == 2)
    }

    private func await_(_ seconds: Double) throws {
        Thread.sleep(forTimeInterval: seconds)
    }
}
