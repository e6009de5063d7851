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
        /// Local hour (at the business hours' offset) after which yesterday's summary goes to
        /// each tenant's Telegram chat; nil: no summary.
        public var dailySummaryHour: Int? = 8

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

    /// One evaluation: facts, engine, record, deliver, and the daily summary when it is due.
    public func round(now: Date) async throws {
        let gatherer = AlertFactGatherer(layout: layout, thresholds: configuration.thresholds)
        let endpoint = redis.endpoint
        let gathered = try await postgres.withConnection { pg in
            let r = try RedisConnection(endpoint: endpoint, timeout: .seconds(2))
            defer { r.close() }
            return gatherer.gather(postgres: pg, redis: r, now: now)
        }
        for (rule, error) in gathered.errors.sorted(by: { $0.key < $1.key }) {
            logger.warning("alert facts unreadable", metadata: [LogKey.alertRule: "\(rule.rawValue)", LogKey.error: "\(error)"])
        }
        try await process(gathered.facts, now: now)
        try await sendDailySummaries(now: now)
    }

    /// Runs the engine over `facts` against the stored state, records the round with its
    /// outbox, and delivers what is due. (``round(now:)`` without the gathering: tests give it
    /// facts directly.)
    public func process(_ facts: AlertFacts, now: Date) async throws {
        for channel in channels {
            do { try await channel.prepare() } catch {
                logger.warning("alert channel not refreshed", metadata: [LogKey.error: "\(error)"])
            }
        }
        let previous = try await postgres.withConnection { try AlertStore.loadState(connection: $0) }
        let result = AlertEngine(thresholds: configuration.thresholds).evaluate(facts: facts, previous: previous, now: now)
        // The lease is checked again just before writing: an instance that stalled past its
        // lease (a long pause, a frozen VM) must not record over the new holder.
        let lease = self.lease
        guard try await redis.run({ try lease.acquireOrRenew(connection: $0) }) else { return }
        if result.state != previous || !result.notifications.isEmpty {
            let channels = self.channels
            try await postgres.withConnection { pg in
                try AlertStore.record(result, previous: previous, route: { n in channels.flatMap { $0.routes(for: n) } }, connection: pg)
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
            let result = await channels.first(where: { $0.handles(delivery.channel) })?.deliver(delivery.notification, route: delivery.channel)
                ?? .refused(reason: "no such channel configured")
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

    /// Yesterday's summary to each tenant's Telegram chat, once a day after
    /// ``Configuration/dailySummaryHour`` (a Redis `SET NX` per tenant and day keeps it to one
    /// message across instances and restarts; a failed send frees the day again).
    public func sendDailySummaries(now: Date) async throws {
        guard let hour = configuration.dailySummaryHour,
              let telegram = channels.compactMap({ $0 as? TelegramAlertChannel }).first else { return }
        let t = configuration.thresholds
        let offset = TimeInterval(t.businessUTCOffsetHours * 3600)
        let local = now.timeIntervalSince1970 + offset
        let todayStart = (local / 86_400).rounded(.down) * 86_400
        guard local - todayStart >= TimeInterval(hour * 3600) else { return }
        let start = Date(timeIntervalSince1970: todayStart - 86_400 - offset), end = Date(timeIntervalSince1970: todayStart - offset)
        let day = DailySummary.dayText(start.addingTimeInterval(offset))
        try await telegram.prepare()
        let keys = AlertRedisKeys(layout: layout)
        for tenant in telegram.tenantScopes() {
            let key = keys.dailySummary(tenant: tenant, day: day)
            guard try await redis.run({ try $0.command(["SET", key, "1", "NX", "EX", "172800"]).text == "OK" }) else { continue }
            let summary = try await postgres.withConnection {
                try DailySummary.collect(tenant: tenant, day: day, start: start, end: end, connection: $0)
            }
            let result = await telegram.send(summary: summary)
            if result != .sent {
                _ = try? await redis.run { try $0.command(["DEL", key]) }
                logger.warning("daily summary not sent", metadata: [LogKey.tenant: "\(tenant)", LogKey.error: "\(result)"])
            } else {
                logger.notice("daily summary sent", metadata: [LogKey.tenant: "\(tenant)"])
            }
        }
    }
}
