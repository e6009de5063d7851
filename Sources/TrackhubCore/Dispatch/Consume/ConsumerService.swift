public import Logging
public import ServiceLifecycle
import Metrics
import Foundation

/// The consumer-group loop of one dispatchd instance: joins the group on every priority stream,
/// finishes its own pending entries first (after a restart or an error), then reads new entries
/// highest priority first, and periodically claims entries left idle by dead consumers.
/// On SIGTERM it stops reading, finishes the batch in hand, and returns.
public final class ConsumerService: Service, Sendable {
    public struct Configuration: Sendable {
        public var consumerName: String
        public var readCount: Int
        public var block: Duration
        /// Entries pending longer than this on another consumer are claimed (longer than the worst send).
        public var claimMinIdle: Duration
        public var claimInterval: Duration
        /// Acknowledged entries younger than this stay in the streams (inspection, replay).
        public var retention: Duration

        public init(consumerName: String, readCount: Int = 500, block: Duration = .seconds(1),
                    claimMinIdle: Duration = .seconds(60), claimInterval: Duration = .seconds(15),
                    retention: Duration = .seconds(24 * 3600)) {
            self.consumerName = consumerName
            self.readCount = readCount
            self.block = block
            self.claimMinIdle = claimMinIdle
            self.claimInterval = claimInterval
            self.retention = retention
        }
    }

    private let configuration: Configuration
    private let consumer: StreamConsumer
    private let redis: RedisClient
    private let pipeline: DispatchPipeline
    private let configs: ConfigHolder
    private let logger: Logger
    private let onReady: @Sendable () -> Void
    /// Beaten on every turn of the loop and every batch handled (the systemd watchdog reads it).
    private let heartbeat: Heartbeat?

    public init(configuration: Configuration, layout: StreamLayout, redis: RedisClient, pipeline: DispatchPipeline,
                configs: ConfigHolder, logger: Logger, heartbeat: Heartbeat? = nil, onReady: @escaping @Sendable () -> Void = {}) {
        self.configuration = configuration
        self.consumer = StreamConsumer(layout: layout, consumer: configuration.consumerName)
        self.redis = redis
        self.pipeline = pipeline
        self.configs = configs
        self.logger = logger
        self.onReady = onReady
        self.heartbeat = heartbeat
    }

    public func run() async throws {
        var log = logger
        log[metadataKey: LogKey.consumer] = "\(configuration.consumerName)"
        let consumer = self.consumer
        var backoff = Duration.milliseconds(250)
        while !stopping {
            do {
                try await redis.run { try consumer.ensureGroups($0) }
                break
            } catch {
                log.warning("cannot join the consumer group yet", metadata: [LogKey.error: "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        log.notice("joined consumer group", metadata: [LogKey.group: "\(consumer.layout.consumerGroup)"])
        onReady()

        var recoverPending = true
        var lastClaim = ContinuousClock.now
        backoff = .milliseconds(250)
        while !stopping {
            heartbeat?.beat()
            do {
                let config = try await configs.config()
                if recoverPending {
                    try await drainOwnPending(config: config, log: log)
                    recoverPending = false
                }
                let count = configuration.readCount, block = configuration.block
                let entries = try await redis.run { try consumer.readNew(count: count, block: block, connection: $0) }
                try await handle(entries, config: config, log: log)
                if ContinuousClock.now - lastClaim >= configuration.claimInterval {
                    try await claimAbandoned(config: config, log: log)
                    lastClaim = ContinuousClock.now
                    let trimmer = StreamTrimmer(layout: consumer.layout, retention: configuration.retention)
                    let removed = try await redis.run { try trimmer.trim(connection: $0) }
                    if removed.values.contains(where: { $0 > 0 }) {
                        log.debug("trimmed acknowledged stream entries", metadata: [LogKey.removed: "\(removed)"])
                    }
                }
                backoff = .milliseconds(250)
            } catch {
                log.error("consumer batch failed; entries stay pending and will be retried", metadata: [LogKey.error: "\(error)"])
                Counter(label: "trackhub_dispatch_batch_failures_total").increment()
                recoverPending = true
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
        log.notice("consumer stopped")
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// Processes then acknowledges. A data error that Postgres refuses (not a connection problem)
    /// is isolated entry by entry so one bad envelope can't stall the stream.
    private func handle(_ entries: [StreamEntry], config: DispatchConfig, log: Logger) async throws {
        guard !entries.isEmpty else { return }
        heartbeat?.beat()
        let pipeline = self.pipeline
        try await PoisonEntryIsolation.process(
            entries,
            process: { try await pipeline.process($0, config: config) },
            record: { try await pipeline.recorder.record($0, fromRetrySchedule: false) },
            isolating: { log.warning("batch refused by postgres; isolating entries", metadata: [LogKey.error: "\($0)"]) })
        let consumer = self.consumer
        try await redis.run { try consumer.ack(entries, connection: $0) }
        Counter(label: "trackhub_dispatch_acked_total").increment(by: entries.count)
    }

    /// Re-reads this consumer's own pending entries (ids after 0) on every stream.
    private func drainOwnPending(config: DispatchConfig, log: Logger) async throws {
        let consumer = self.consumer, count = configuration.readCount
        var total = 0
        for stream in consumer.layout.allStreams {
            var after = "0"
            while !stopping {
                let cursor = after
                let entries = try await redis.run { try consumer.readPending(stream: stream, after: cursor, count: count, connection: $0) }
                guard let last = entries.last else { break }
                try await handle(entries, config: config, log: log)
                total += entries.count
                after = last.id
            }
        }
        if total > 0 { log.notice("recovered own pending entries", metadata: [LogKey.count: "\(total)"]) }
    }

    /// Claims and processes entries idle too long on other (dead) consumers.
    private func claimAbandoned(config: DispatchConfig, log: Logger) async throws {
        let consumer = self.consumer, minIdle = configuration.claimMinIdle, count = configuration.readCount
        for stream in consumer.layout.allStreams {
            var cursor = "0-0"
            var rounds = 0
            repeat {
                let from = cursor
                let (next, entries) = try await redis.run {
                    try consumer.autoclaim(stream: stream, minIdle: minIdle, cursor: from, count: count, connection: $0)
                }
                if !entries.isEmpty {
                    log.notice("claimed entries from an idle consumer", metadata: [LogKey.stream: "\(stream)", LogKey.count: "\(entries.count)"])
                    Counter(label: "trackhub_dispatch_claimed_total").increment(by: entries.count)
                    try await handle(entries, config: config, log: log)
                }
                cursor = next
                rounds += 1
            } while cursor != "0-0" && rounds < 100 && !stopping
        }
    }
}
