public import Foundation

extension AlertFacts {
    /// A pixel paused until a new token is applied (``PixelControl``'s pause without expiry).
    public struct PausedPixel: Sendable, Equatable {
        public var tenant: String?
        public var pixel: String
        /// The pause reason as recorded (`token`, `permission`, with Meta's code).
        public var reason: String
        public var parked: Int

        public init(tenant: String?, pixel: String, reason: String, parked: Int) {
            self.tenant = tenant
            self.pixel = pixel
            self.reason = reason
            self.parked = parked
        }
    }

    /// Dead letters created in the last hour with one reason.
    public struct DeadLetterCount: Sendable, Equatable {
        public var reason: String
        public var count: Int

        public init(reason: String, count: Int) {
            self.reason = reason
            self.count = count
        }
    }

    /// A stream's backlog: its oldest entry not yet processed (pending or not yet delivered).
    public struct StreamBacklog: Sendable, Equatable {
        public var stream: String
        /// Entries not yet delivered to the group (XINFO GROUPS lag) plus pending ones.
        public var entries: Int
        /// When the oldest unprocessed entry was appended (its stream id's time); nil when none.
        public var oldestAt: Date?

        public init(stream: String, entries: Int, oldestAt: Date?) {
            self.stream = stream
            self.entries = entries
            self.oldestAt = oldestAt
        }
    }

    /// A tenant's sales and the matched ones, in the last 24 h and over the 7 days before.
    public struct MatchRate: Sendable, Equatable {
        public var tenant: String
        public var recentSales: Int
        public var recentMatched: Int
        public var baselineSales: Int
        public var baselineMatched: Int

        public init(tenant: String, recentSales: Int, recentMatched: Int, baselineSales: Int, baselineMatched: Int) {
            self.tenant = tenant
            self.recentSales = recentSales
            self.recentMatched = recentMatched
            self.baselineSales = baselineSales
            self.baselineMatched = baselineMatched
        }
    }

    /// A gateway account's last sale and how many it had over the last 7 days.
    public struct GatewayActivity: Sendable, Equatable {
        public var tenant: String
        public var gateway: String
        public var account: String
        public var lastSaleAt: Date?
        public var salesLast7Days: Int

        public init(tenant: String, gateway: String, account: String, lastSaleAt: Date?, salesLast7Days: Int) {
            self.tenant = tenant
            self.gateway = gateway
            self.account = account
            self.lastSaleAt = lastSaleAt
            self.salesLast7Days = salesLast7Days
        }
    }

    /// Webhooks refused for their authentication on one gateway account in the recent window.
    public struct WebhookRejections: Sendable, Equatable {
        public var tenant: String?
        public var gateway: String
        public var account: String
        public var count: Int

        public init(tenant: String?, gateway: String, account: String, count: Int) {
            self.tenant = tenant
            self.gateway = gateway
            self.account = account
            self.count = count
        }
    }

    /// What an ingestd instance last reported about its durable writes.
    public struct IngestInstance: Sendable, Equatable {
        public var instance: String
        public var spoolPending: Int
        public var redisConnected: Bool
        public var reportedAt: Date

        public init(instance: String, spoolPending: Int, redisConnected: Bool, reportedAt: Date) {
            self.instance = instance
            self.spoolPending = spoolPending
            self.redisConnected = redisConnected
            self.reportedAt = reportedAt
        }
    }

    /// A pixel's events waiting (parked or scheduled for a retry) and the oldest one's event time.
    public struct AgingEvents: Sendable, Equatable {
        public var tenant: String?
        public var pixel: String
        /// Waiting events older than the threshold.
        public var count: Int
        public var oldestEventAt: Date

        public init(tenant: String?, pixel: String, count: Int, oldestEventAt: Date) {
            self.tenant = tenant
            self.pixel = pixel
            self.count = count
            self.oldestEventAt = oldestEventAt
        }
    }
}
