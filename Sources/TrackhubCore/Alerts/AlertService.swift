public import Foundation
public import Logging
public import ServiceLifecycle

/// The alerts' shell in `dispatchd run`: every instance runs it, exactly one at a time does the
/// work — the holder of a ``RedisLease`` (taken and renewed every third of its time to live).
/// The holder gathers the facts (``AlertFactGatherer``), runs ``AlertEngine`` against the
/// stored state, records the round and its outbox (``AlertStore``) in one transaction, then
/// delivers what is due to the channels. When the holder dies its lease expires and another
/// instance continues from the stored state and outbox: no alert fires twice; at most the
/// message that was on the wire at the kill is sent again.
public final class AlertService: Service, Sendable {
    public struct Configuration: Sendable {
        public var interval: Duration
        public var leaseTTL: Duration
        public var thresholds: AlertThresholds
        /// Attempts of one delivery before it is marked failed.
        public var maxDeliveryAttempts = 8

        public init(interval: Duration = .seconds(30), leaseTTL: Duration = .seconds(30), thresholds: AlertThresholds = AlertThresholds()) {
            self.interval = interval
            self.leaseTTL = leaseTTL
            self.thresholds = thresholds
        }
    }

    private let configuration: Configuration
    private let layout: StreamLayout
    private let redis: RedisClient
    private let postgres: PostgresPool
    private let channels: [any AlertChannel]
    private let lease: RedisLease
    private let logger: Logger

    /// `holder` names this instance in the lease (the consumer name); a random suffix keeps a
    /// restarted process with the same name from mistaking the old lease for its own.
    public init(configuration: Configuration, layout: StreamLayout, redis: RedisClient, postgres: PostgresPool,
                channels: [any AlertChannel], holder: String, logger: Logger) {
        self.configuration = configuration
        self.layout = layout
        self.redis = redis
        self.postgres = postgres
        self.channels = channels
        self.lease = RedisLease(key: AlertRedisKeys(layout: layout).lease, token: "\(holder):\(UUID().uuidString.prefix(8))",
                                ttl: configuration.leaseTTL)
        self.logger = logger
    }

    public func run() async throws {
        let tick = min(configuration.interval, configuration.leaseTTL / 3)
        var holding = false
        var lastRound: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let lease = self.lease
            let held = (try? await redis.run { try lease.acquireOrRenew(connection: $0) }) ?? false
            if held != holding {
                logger.notice(held ? "alert lease taken" : "alert lease lost", metadata: [LogKey.leaseHolder: "\(lease.token)"])
                holding = held
                lastRound = nil
            }
            if held, lastRound.map({ ContinuousClock.now - $0 >= configuration.interval }) ?? true {
                lastRound = .now
                do { try await round(now: Date()) } catch {
                    logger.warning("alert round failed", metadata: [LogKey.error: "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
        }
        if holding {
            let lease = self.lease
            _ = try? await redis.run { try lease.release(connection: $0) }
            logger.notice("alert lease released", metadata: [LogKey.leaseHolder: "\(lease.token)"])
        }
    }

    /// One evaluation: facts, engine, record, deliver.
    public func round(now: Date) async throws {
        let gatherer = AlertFactGatherer(layout: layout, thresholds: configuration.thresholds)
        let endpoint = redis.endpoint
        let (gathered, previous) = try await postgres.withConnection { pg in
            let r = try RedisConnection(endpoint: endpoint, timeout: .seconds(2))
            defer { r.close() }
            return (gatherer.gather(postgres: pg, redis: r, now: now), try AlertStore.loadState(connection: pg))
        }
        for (rule, error) in gathered.errors.sorted(by: { $0.key < $1.key }) {
            logger.warning("alert facts unreadable", metadata: [LogKey.alertRule: "\(rule.rawValue)", LogKey.error: "\(error)"])
        }
        let result = AlertEngine(thresholds: configuration.thresholds).evaluate(facts: gathered.facts, previous: previous, now: now)
        // The lease is checked again just before writing: an instance that stalled past its
        // lease (a long GC-like pause, a frozen VM) must not record over the new holder.
        let lease = self.lease
        guard try await redis.run({ try lease.acquireOrRenew(connection: $0) }) else { return }
        if result.state != previous || !result.notifications.isEmpty {
            let channels = self.channels
            try await postgres.withConnection { pg in
                try AlertStore.record(result, previous: previous, route: { n in channels.filter { $0.accepts(n) }.map(\.name) }, connection: pg)
            }
        }
        for n in result.notifications {
            logger.notice("alert", metadata: [
                LogKey.alertRule: "\(n.key.rule.rawValue)", LogKey.alertState: "\(n.kind.rawValue)", LogKey.tenant: "\(n.key.tenant ?? "-")",
                LogKey.alertSubject: "\(n.key.subject)",
            ])
        }
        try await deliverDue(now: now)
    }

    /// Sends the outbox's due deliveries (this round's and any a previous holder left).
    public func deliverDue(now: Date) async throws {
        let due = try await postgres.withConnection { try AlertStore.due(now: now, connection: $0) }
        for delivery in due {
            guard let channel = channels.first(where: { $0.name == delivery.channel }) else { continue }
            let result = await channel.deliver(delivery.notification)
            let attempts = delivery.attempts + 1
            let max = configuration.maxDeliveryAttempts
            try await postgres.withConnection { pg in
                switch result {
                case .sent:
                    try AlertStore.finish(delivery, sent: true, connection: pg)
                case .retry(let reason, let after):
                    let wait = after.map { TimeInterval($0.wholeMilliseconds) / 1000 } ?? min(600, 5 * pow(2, Double(attempts - 1)))
                    try AlertStore.finish(delivery, sent: false, error: reason,
                                          retryAt: attempts >= max ? nil : Date().addingTimeInterval(wait), connection: pg)
                case .refused(let reason):
                    try AlertStore.finish(delivery, sent: false, error: reason, retryAt: nil, connection: pg)
                }
            }
            if result != .sent {
                logger.warning("alert delivery failed", metadata: [LogKey.alertChannel: "\(delivery.channel)", LogKey.error: "\(result)"])
            }
        }
    }
}
