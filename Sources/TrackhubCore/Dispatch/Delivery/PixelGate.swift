/// How many events the token bucket let through, and how long until the rest could go (ms).
public struct PixelGrant: Sendable, Equatable {
    public var granted: Int
    public var waitMs: Int

    public init(granted: Int, waitMs: Int) {
        self.granted = granted
        self.waitMs = waitMs
    }
}

/// Per-pixel flow control shared by every dispatchd instance: pause state, the token bucket,
/// and pausing. ``RedisPixelGate`` in production (``PixelControl``'s scripts); an in-memory
/// gate in unit tests.
public protocol PixelGate: Sendable {
    /// Why and for how long the pixel is paused; nil when it is not.
    func pauseState(pixel: String) async throws -> PixelControl.Pause?
    /// Takes up to `requested` tokens from the pixel's bucket.
    func acquire(pixel: String, requested: Int, ratePerSecond: Int, burst: Int) async throws -> PixelGrant
    /// Pauses the pixel for everyone; `duration` nil = until a new token is applied. A timed
    /// pause (a throttle) keeps the pixel's throttle streak for twice the pause after it ends.
    func pause(pixel: String, reason: String, duration: Duration?) async throws
    /// Counts one more throttle of the pixel in a row, for every instance; returns the count
    /// (1 = the first of a streak). The streak ends when the pixel goes unthrottled for twice its
    /// last pause (``pause(pixel:reason:duration:)``).
    func recordThrottle(pixel: String) async throws -> Int
}
