public import Logging
public import ServiceLifecycle
import Foundation

/// Sends events whose retry time has come. Claims are leased, so events claimed by an instance
/// that dies go back to the schedule when the lease expires; the lease follows the send timeout
/// (``lease(sendTimeout:)``) and is renewed while the round is in flight (``ClaimKeeper``), so a
/// slow round is never claimed again by another instance and a dead one's events come back soon.
public final class RetryService: Service, Sendable {
    private let schedule: RetrySchedule
    private let redis: RedisClient
    private let pipeline: DispatchPipeline
    private let configs: ConfigHolder
    private let interval: Duration
    private let lease: Duration
    private let batch: Int
    private let logger: Logger

    public init(layout: StreamLayout, redis: RedisClient, pipeline: DispatchPipeline, configs: ConfigHolder,
                interval: Duration = .milliseconds(250), lease: Duration = RetryService.lease(sendTimeout: .milliseconds(1500)),
                batch: Int = 500, logger: Logger) {
        self.schedule = RetrySchedule(layout: layout)
        self.redis = redis
        self.pipeline = pipeline
        self.configs = configs
        self.interval = interval
        self.lease = lease
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        var lastTokenCheck = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let config = try await configs.config()
                if ContinuousClock.now - lastTokenCheck >= .seconds(1) {
                    lastTokenCheck = ContinuousClock.now
                    try await releaseStaleTokenPauses(config)
                }
                let schedule = self.schedule, batch = self.batch, lease = self.lease
                let due = try await redis.run { try schedule.claimDue(limit: batch, lease: lease, connection: $0) }
                if due.isEmpty {
                    try? await Task.sleep(for: interval)
                    continue
                }
                let redis = self.redis, logger = self.logger, pipeline = self.pipeline
                try await ClaimKeeper.holding(
                    every: ClaimKeeper.renewalInterval(limit: lease),
                    renew: { _ = try await redis.run { try schedule.renew(due, lease: lease, connection: $0) } },
                    failed: { logger.warning("cannot renew the lease of the retry round in flight", metadata: [LogKey.error: "\($0)"]) }
                ) {
                    try await pipeline.processRetries(due, config: config)
                }
            } catch {
                logger.warning("retry round failed; leased events return to the schedule", metadata: [LogKey.error: "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// How long a claim of due events is leased: four send timeouts (one request and its
    /// recording with room to spare; the round renews the lease every third of it), at least
    /// 10 s so a loaded machine's late renewal does not hand the events to another instance.
    public static func lease(sendTimeout: Duration) -> Duration { max(.seconds(10), sendTimeout * 4) }

    /// Lifts token pauses set for a token this worker no longer uses: after `dispatchd apply`
    /// released a pixel, a worker that had not reloaded the new token yet may have been refused
    /// with the old one and paused the pixel again (see ``PixelControl/tokenMarker(_:)``); and
    /// reschedules events parked for a pixel no pause holds any more (the same race, the other
    /// way round: ``PixelControl/releaseIfTokenChanged(pixel:currentToken:connection:)``).
    private func releaseStaleTokenPauses(_ config: DispatchConfig) async throws {
        let pixels = config.pixels.values.filter { $0.mode != .dryRun && !$0.accessToken.isEmpty }
        guard !pixels.isEmpty else { return }
        let control = PixelControl(layout: schedule.layout)
        let released = try await redis.run { conn in
            try pixels.compactMap { p in try control.releaseIfTokenChanged(pixel: p.id, currentToken: p.accessToken, connection: conn).map { (p.id, $0) } }
        }
        for (pixel, count) in released {
            logger.notice("pixel resumed: parked events rescheduled (the token meta refused is no longer the configured one, or the pause was already lifted)",
                          metadata: [LogKey.pixel: "\(pixel)", LogKey.rescheduled: "\(count)"])
        }
    }
}
