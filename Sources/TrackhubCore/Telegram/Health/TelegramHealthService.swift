public import Foundation
public import Logging
import Metrics
public import ServiceLifecycle

/// The Telegram pool health check in `dispatchd run` (issue 19 item 5): every instance runs
/// it, exactly one at a time does the work — the holder of a ``RedisLease`` (the alerts' and
/// ad spend's mechanism, on its own key). Every ``Configuration/interval`` the holder calls
/// `getMe` for each bot of each active Telegram link (and `getWebhookInfo` when Trackhub
/// receives the bot's updates), judges it with ``TelegramBotHealthDecision``, and publishes
/// the pool's health to Redis (``TelegramPoolHealthStore``), which ingestd reads on its
/// snapshot poll: a dead bot leaves `/go` rotation within one interval plus one poll.
///
/// A holder that takes the lease over resumes from the published health (failure counts and
/// "since" survive a failover). Tokens travel only in the Bot API URL (``CurlTelegramClient``);
/// logs carry the bot's username and the error kind.
public final class TelegramHealthService: Service, Sendable {
    public struct Configuration: Sendable {
        /// Time between two checks of the pool.
        public var interval: Duration
        public var leaseTTL: Duration
        /// Failures in a row (other than 401/404) that make a bot dead.
        public var deadAfter: Int

        public init(interval: Duration = .seconds(15), leaseTTL: Duration = .seconds(30), deadAfter: Int = 3) {
            self.interval = interval
            self.leaseTTL = leaseTTL
            self.deadAfter = deadAfter
        }

        /// How long the published health lives without a new round: a few rounds, so a
        /// checker's death lets the marks expire (every bot rotates again) rather than freeze.
        public var healthTTL: Duration { max(interval * 4, .seconds(60)) }
    }

    private let configuration: Configuration
    private let client: any TelegramBotAPI
    private let members: @Sendable () async throws -> [TelegramPoolMember]
    private let redis: RedisClient
    private let store: TelegramPoolHealthStore
    private let lease: RedisLease
    private let logger: Logger

    /// `members` reads the pools as configured now (``TelegramPoolMember/members(of:)`` over
    /// the worker's ``ConfigHolder``); `holder` names this instance in the lease.
    public init(configuration: Configuration, client: any TelegramBotAPI, layout: StreamLayout, redis: RedisClient, holder: String,
                logger: Logger, members: @escaping @Sendable () async throws -> [TelegramPoolMember]) {
        self.configuration = configuration
        self.client = client
        self.members = members
        self.redis = redis
        self.store = TelegramPoolHealthStore(layout: layout)
        self.lease = RedisLease(key: Self.leaseKey(layout), token: "\(holder):\(UUID().uuidString.prefix(8))", ttl: configuration.leaseTTL)
        self.logger = logger
    }

    /// The lease's key, beside the alerts' and ad spend's.
    public static func leaseKey(_ layout: StreamLayout) -> String { "\(layout.prefix):telegram:health_lease" }

    public func run() async throws {
        let tick = min(configuration.interval, configuration.leaseTTL / 3)
        var holding = false
        var health: TelegramPoolHealth?
        var lastRound: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let held = await renew()
            if held != holding {
                logger.notice(held ? "telegram health lease taken" : "telegram health lease lost", metadata: [LogKey.leaseHolder: "\(lease.token)"])
                holding = held
                lastRound = nil
                let store = self.store
                // A new holder resumes the published counts and "since" (nil: start afresh).
                health = nil
                if held, let published = try? await redis.run({ try store.load(connection: $0) }) { health = published }
            }
            if held, lastRound.map({ ContinuousClock.now - $0 >= configuration.interval }) ?? true {
                lastRound = .now
                do { health = try await round(previous: health, now: Date()) } catch {
                    logger.warning("telegram health round failed", metadata: [LogKey.error: "\(error)"])
                }
            } else if !held {
                // Every instance exports the published verdicts, so the metric does not depend on
                // which one is scraped nor freeze at what a former holder last saw.
                let store = self.store
                if let published = try? await redis.run({ try store.load(connection: $0) }) { Self.record(published) }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
        }
        if holding {
            let lease = self.lease
            _ = try? await redis.run { try lease.release(connection: $0) }
            logger.notice("telegram health lease released", metadata: [LogKey.leaseHolder: "\(lease.token)"])
        }
    }

    /// One check of every pool bot: judge, log the changes, record the metric, publish (only
    /// while the lease is still held). Returns the published health.
    public func round(previous: TelegramPoolHealth?, now: Date) async throws -> TelegramPoolHealth {
        let decision = TelegramBotHealthDecision(deadAfter: configuration.deadAfter)
        var bots: [String: TelegramBotHealth] = [:]
        for member in try await members() {
            if Task.isCancelled { break }
            let check = await check(member, now: now)
            let before = previous?.bots[member.bot]
            let after = decision.next(bot: member.bot, tenant: member.tenant, previous: before, check: check, now: now)
            bots[member.bot] = after
            report(after, before: before)
        }
        let health = TelegramPoolHealth(checkedAt: now, bots: bots)
        Self.record(health)
        let (lease, store, ttl) = (self.lease, self.store, configuration.healthTTL)
        try await redis.run { conn in
            // Checked again just before writing: a holder that stalled past its lease must not
            // overwrite the new holder's judgement.
            guard try lease.acquireOrRenew(connection: conn) else { return }
            try store.publish(health, ttl: ttl, connection: conn)
        }
        return health
    }

    /// `getMe`, then `getWebhookInfo` when the bot's updates come to Trackhub.
    func check(_ member: TelegramPoolMember, now: Date) async -> TelegramBotCheck {
        guard let token = member.token else { return .noToken }
        let user: TelegramBotUser
        do { user = try await client.getMe(token: token) } catch { return .failed(error) }
        guard let expected = member.webhookURL else { return .answered(user) }
        // A webhook problem is extra information; failing to read it judges nothing.
        let info = try? await client.getWebhookInfo(token: token)
        return .answered(user, webhookProblem: info.flatMap { TelegramWebhookCheck.problem($0, expectedURL: expected, now: now) })
    }

    /// `trackhub_telegram_bot_live{bot}`: 1 live, 0 dead, -1 not checkable.
    static func record(_ health: TelegramPoolHealth) {
        for h in health.bots.values {
            let value: Double = switch h.status { case .live: 1; case .dead: 0; case .unknown: -1 }
            Gauge(label: "trackhub_telegram_bot_live", dimensions: [("bot", h.bot)]).record(value)
        }
    }

    private func report(_ after: TelegramBotHealth, before: TelegramBotHealth?) {
        let metadata: Logger.Metadata = [
            LogKey.telegramBot: "\(after.bot)", LogKey.tenant: "\(after.tenant ?? "-")", LogKey.telegramBotStatus: "\(after.status.rawValue)",
            LogKey.reason: "\(after.reason ?? "-")", LogKey.telegramFailures: "\(after.consecutiveFailures)",
        ]
        if after.status != (before?.status ?? .unknown) || before == nil && after.status == .unknown {
            switch after.status {
            case .dead: logger.warning("telegram bot dead; out of /go rotation", metadata: metadata)
            case .live: logger.notice("telegram bot live; in /go rotation", metadata: metadata)
            case .unknown: logger.notice("telegram bot cannot be checked; stays in /go rotation", metadata: metadata)
            }
        } else if after.consecutiveFailures > (before?.consecutiveFailures ?? 0) {
            logger.info("telegram bot check failed", metadata: metadata)
        }
        if let problem = after.webhookProblem, problem != before?.webhookProblem {
            var m = metadata
            m[LogKey.telegramWebhookProblem] = "\(problem)"
            logger.warning("telegram bot webhook problem", metadata: m)
        }
    }

    private func renew() async -> Bool {
        let lease = self.lease
        return (try? await redis.run { try lease.acquireOrRenew(connection: $0) }) ?? false
    }
}
