/// ``TelegramForwardQueue`` over Redis (``TelegramForwardSchedule``), each call one hop to the
/// client's thread — never a blocking hiredis call on the cooperative pool.
public struct RedisTelegramForwardQueue: TelegramForwardQueue {
    public let redis: RedisClient
    public let schedule: TelegramForwardSchedule

    public init(redis: RedisClient, layout: StreamLayout) {
        self.redis = redis
        self.schedule = TelegramForwardSchedule(layout: layout)
    }

    @discardableResult
    public func enqueue(_ jobs: [TelegramForward]) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        let schedule = self.schedule
        return try await redis.run { try schedule.enqueue(jobs, connection: $0) }
    }

    public func claim(limit: Int, lease: Duration) async throws -> [TelegramForward] {
        let schedule = self.schedule
        return try await redis.run { try schedule.claim(limit: limit, lease: lease, connection: $0) }
    }

    public func complete(_ job: TelegramForward) async throws {
        let schedule = self.schedule
        try await redis.run { try schedule.finish(job, remember: true, connection: $0) }
    }

    public func retry(_ job: TelegramForward, atMs: Int64) async throws {
        let schedule = self.schedule
        try await redis.run { try schedule.retry(job, atMs: atMs, connection: $0) }
    }

    public func remove(_ job: TelegramForward) async throws {
        let schedule = self.schedule
        try await redis.run { try schedule.finish(job, remember: false, connection: $0) }
    }

    public func requeue(_ job: TelegramForward) async throws {
        let schedule = self.schedule
        try await redis.run { try schedule.enqueue([job], force: true, connection: $0) }
    }

    public func depth() async throws -> (waiting: Int, inFlight: Int) {
        let schedule = self.schedule
        return try await redis.run { try schedule.depth(connection: $0) }
    }
}
