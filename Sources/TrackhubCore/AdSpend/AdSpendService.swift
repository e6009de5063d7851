public import Foundation
public import Logging
public import ServiceLifecycle

/// The ad spend import in `dispatchd run`: every instance runs it, exactly one at a time does
/// the work — the holder of a ``RedisLease`` (the alerts' mechanism, on its own key), renewed
/// every tick and checked again before each account's write. The holder imports each enabled
/// account when ``AdSpendSchedule`` says it is due (hourly by default).
public final class AdSpendService: Service, Sendable {
    public struct Configuration: Sendable {
        public var importer: AdSpendImporter.Configuration
        /// How often each account is imported after a success.
        public var interval: Duration
        public var leaseTTL: Duration

        public init(importer: AdSpendImporter.Configuration, interval: Duration = .seconds(3600), leaseTTL: Duration = .seconds(120)) {
            self.importer = importer
            self.interval = interval
            self.leaseTTL = leaseTTL
        }
    }

    private let configuration: Configuration
    private let importer: AdSpendImporter
    private let redis: RedisClient
    private let lease: RedisLease
    private let logger: Logger

    /// `holder` names this instance in the lease (the consumer name, plus a random part).
    public init(configuration: Configuration, importer: AdSpendImporter, layout: StreamLayout, redis: RedisClient, holder: String,
                logger: Logger) {
        self.configuration = configuration
        self.importer = importer
        self.redis = redis
        self.lease = RedisLease(key: Self.leaseKey(layout), token: "\(holder):\(UUID().uuidString.prefix(8))", ttl: configuration.leaseTTL)
        self.logger = logger
    }

    /// The lease's key, beside the alerts' (`<prefix>:alerts:lease`).
    public static func leaseKey(_ layout: StreamLayout) -> String { "\(layout.prefix):adspend:lease" }

    public func run() async throws {
        let tick = min(.seconds(30), configuration.leaseTTL / 3)
        var schedule = AdSpendSchedule(interval: configuration.interval)
        var holding = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let held = await renew()
            if held != holding {
                logger.notice(held ? "ad spend lease taken" : "ad spend lease lost", metadata: [LogKey.leaseHolder: "\(lease.token)"])
                holding = held
                if held { schedule = AdSpendSchedule(interval: configuration.interval) }
            }
            if held {
                do { try await round(&schedule) } catch {
                    logger.warning("ad spend round failed", metadata: [LogKey.error: "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
        }
        if holding {
            let lease = self.lease
            _ = try? await redis.run { try lease.release(connection: $0) }
            logger.notice("ad spend lease released", metadata: [LogKey.leaseHolder: "\(lease.token)"])
        }
    }

    /// Imports the accounts that are due, one after another, while the lease holds.
    func round(_ schedule: inout AdSpendSchedule) async throws {
        let now = Date()
        for account in try await importer.accounts() where account.enabled {
            guard schedule.isDue(tenant: account.tenant, account: account.id, now: now) else { continue }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            let result = await importer.importAccount(account, now: Date(), mayWrite: { [self] in await renew() })
            schedule.record(result, now: Date())
        }
    }

    private func renew() async -> Bool {
        let lease = self.lease
        return (try? await redis.run { try lease.acquireOrRenew(connection: $0) }) ?? false
    }
}
