public import Logging
public import ServiceLifecycle
import Foundation
import Metrics

/// Publishes the gauges `dispatchd status` shows, for Prometheus: consumer-group lag and pending
/// per stream, retry depth, dead letters by reason, paused pixels, and the last retention run
/// (its time, and what it removed per item). Sampled periodically (the
/// numbers are shared by every instance; each publishes the same values).
public final class MetricsSampler: Service, Sendable {
    private let layout: StreamLayout
    private let redis: RedisClient
    private let postgres: PostgresPool
    private let interval: Duration
    private let logger: Logger

    public init(layout: StreamLayout, redis: RedisClient, postgres: PostgresPool, interval: Duration = .seconds(15), logger: Logger) {
        self.layout = layout
        self.redis = redis
        self.postgres = postgres
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await sample() } catch {
                logger.debug("metrics sample failed", metadata: [LogKey.error: "\(error)"])
            }
            // Woken early by SIGTERM, so shutdown is not held up by the sampling interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    public func sample() async throws {
        let layout = self.layout
        let report = try await postgres.withConnection { pg in
            let redisReport = try RedisConnection(endpoint: self.redis.endpoint, timeout: .seconds(2))
            defer { redisReport.close() }
            return try StatusReport.collect(layout: layout, postgres: pg, redis: redisReport, detail: false)
        }
        for s in report.streams {
            let stream = String(s.stream.split(separator: ":").last ?? "")
            Gauge(label: "trackhub_stream_lag", dimensions: [("stream", stream)]).record(s.lag ?? 0)
            Gauge(label: "trackhub_stream_pending", dimensions: [("stream", stream)]).record(s.pending)
        }
        Gauge(label: "trackhub_retry_scheduled").record(report.retryScheduled)
        Gauge(label: "trackhub_retry_inflight").record(report.retryInflight)
        for reason in DeadLetterReason.allCases {
            let n = report.deadLetters.first { $0.0 == reason.rawValue }?.1 ?? 0
            Gauge(label: "trackhub_dead_letters", dimensions: [("reason", reason.rawValue)]).record(n)
        }
        Gauge(label: "trackhub_pixels_paused").record(report.pixels.filter { $0.pause != nil }.count)
        if let run = report.lastRetentionRun {
            Gauge(label: "trackhub_retention_last_run_timestamp_seconds").record(run.finishedAt.timeIntervalSince1970)
            for item in RetentionItem.allCases {
                Gauge(label: "trackhub_retention_last_run_removed", dimensions: [("item", item.rawValue)]).record(run.removed[item] ?? 0)
            }
        }
    }
}
