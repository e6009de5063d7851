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
        /// Entries delivered more often than this are dead-lettered (`delivery_cap`).
        public var deliveryCap: DeliveryCap

        public init(consumerName: String, readCount: Int = 500, block: Duration = .seconds(1),
                    claimMinIdle: Duration = .seconds(60), claimInterval: Duration = .seconds(15),
                    retention: Duration = .seconds(24 * 3600), deliveryCap: DeliveryCap = DeliveryCap()) {
            self.deliveryCap = deliveryCap
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
        // The first read of the own pending entries counts a delivery (a new process: the last
        // one may have died on them); re-reads after a failed batch in this process do not.
        var firstDrain = true
        var lastClaim = ContinuousClock.now
        backoff = .milliseconds(250)
        while !stopping {
            heartbeat?.beat()
            do {
                let config = try await configs.config()
                if recoverPending {
                    try await drainOwnPending(config: config, log: log, countingDelivery: firstDrain)
                    recoverPending = false
                    firstDrain = false
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
    /// While the batch is in flight its entries' idle time is reset every third of the claim
    /// limit (``ClaimKeeper``), so a slow batch is never claimed and sent by another worker too.
    private func handle(_ entries: [StreamEntry], config: DispatchConfig, log: Logger) async throws {
        guard !entries.isEmpty else { return }
        heartbeat?.beat()
        let pipeline = self.pipeline, consumer = self.consumer, redis = self.redis
        try await ClaimKeeper.holding(
            every: ClaimKeeper.renewalInterval(limit: configuration.claimMinIdle),
            renew: { try await redis.run { try consumer.keepClaimed(entries, connection: $0) } },
            failed: { log.warning("cannot renew the claim of the batch in flight", metadata: [LogKey.error: "\($0)"]) }
        ) {
            try await PoisonEntryIsolation.process(
                entries,
                process: { try await pipeline.process($0, config: config) },
                record: { try await pipeline.recorder.record($0, fromRetrySchedule: false) },
                isolating: { log.warning("batch refused by postgres; isolating entries", metadata: [LogKey.error: "\($0)"]) })
        }
        try await redis.run { try consumer.ack(entries, connection: $0) }
        Counter(label: "trackhub_dispatch_acked_total").increment(by: entries.count)
    }

    /// Re-reads this consumer's own pending entries (ids after 0) on every stream; entries over
    /// the delivery cap are dead-lettered instead. `countingDelivery`: at process start (the
    /// read counts a delivery); after a failed batch the entries are re-read without counting.
    private func drainOwnPending(config: DispatchConfig, log: Logger, countingDelivery: Bool) async throws {
        let consumer = self.consumer, count = configuration.readCount
        var total = 0
        for stream in consumer.layout.allStreams {
            var after = "0"
            while !stopping {
                let cursor = after
                let entries = try await redis.run {
                    try countingDelivery ? consumer.readPending(stream: stream, after: cursor, count: count, connection: $0)
                        : consumer.rereadPending(stream: stream, after: cursor, count: count, connection: $0)
                }
                guard let last = entries.last else { break }
                try await handleRedelivered(entries, stream: stream, config: config, log: log)
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
                    try await handleRedelivered(entries, stream: stream, config: config, log: log)
                }
                cursor = next
                rounds += 1
            } while cursor != "0-0" && rounds < 100 && !stopping
        }
    }

    /// Entries delivered before (own pending, claimed): those over the delivery cap are
    /// dead-lettered and acknowledged, the rest handled as usual.
    private func handleRedelivered(_ entries: [StreamEntry], stream: String, config: DispatchConfig, log: Logger) async throws {
        guard let first = entries.first, let last = entries.last else { return }
        let consumer = self.consumer, cap = configuration.deliveryCap
        let counts = try await redis.run {
            try consumer.deliveryCounts(stream: stream, first: first.id, last: last.id, count: entries.count, connection: $0)
        }
        let (process, capped) = cap.split(entries, deliveries: counts)
        if !capped.isEmpty {
            try await pipeline.recorder.record(cap.deadLetters(capped), fromRetrySchedule: false)
            let ids = capped.map(\.0)
            try await redis.run { try consumer.ack(ids, connection: $0) }
            for (entry, n) in capped {
                log.error("stream entry dead-lettered: delivered too many times",
                          metadata: [LogKey.stream: "\(entry.stream)", LogKey.entryID: "\(entry.id)", LogKey.count: "\(n)",
                                     LogKey.reason: "delivery_cap"])
            }
            Counter(label: "trackhub_dispatch_delivery_capped_total").increment(by: capped.count)
        }
        try await handle(process, config: config, log: log)
    }
}
