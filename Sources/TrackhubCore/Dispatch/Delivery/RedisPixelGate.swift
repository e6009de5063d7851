/// ``PixelGate`` over Redis: ``PixelControl``'s Lua token bucket and pause keys, on the
/// dedicated thread of a ``RedisClient``.
public struct RedisPixelGate: PixelGate {
    public let redis: RedisClient
    public let control: PixelControl

    public init(redis: RedisClient, layout: StreamLayout) {
        self.redis = redis
        self.control = PixelControl(layout: layout)
    }

    public func pauseState(pixel: String) async throws -> PixelControl.Pause? {
        try await redis.run { [control] in try control.pauseState(pixel: pixel, connection: $0) }
    }

    public func acquire(pixel: String, requested: Int, ratePerSecond: Int, burst: Int) async throws -> PixelGrant {
        let (granted, wait) = try await redis.run { [control] in
            try control.acquire(pixel: pixel, requested: requested, ratePerSecond: ratePerSecond, burst: burst, connection: $0)
        }
        return PixelGrant(granted: granted, waitMs: wait)
    }

    public func recordThrottle(pixel: String) async throws -> Int {
        try await redis.run { [control] in try control.recordThrottle(pixel: pixel, connection: $0) }
    }

    public func pause(pixel: String, reason: String, duration: Duration?) async throws {
        try await redis.run { [control] in try control.pause(pixel: pixel, reason: reason, duration: duration, connection: $0) }
    }
}
