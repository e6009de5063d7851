public import Foundation

/// What the assistant looked at before answering — read from the stores by a
/// ``TroubleshootingEvidenceReader``, then judged by ``Troubleshooter`` (pure), so every rule
/// is unit-tested over values and every answer can show the evidence it rests on.
public struct TroubleshootingEvidence: Sendable, Equatable {
    public struct Pixel: Sendable, Equatable {
        public var id: String
        public var tenant: String
        /// `live`, `test` or `dry_run`.
        public var mode: String
        public var hasToken: Bool
        /// The live pause, as `dispatchd status` words it (nil: not paused).
        public var pause: String?
        /// Events waiting for a new token.
        public var parked: Int
        /// The newest failed attempt of the last 7 days (nil: none).
        public var lastError: LedgerAttempt?
        /// When Meta last accepted an event of this pixel (last 7 days).
        public var lastSentAt: Date?

        public init(id: String, tenant: String, mode: String, hasToken: Bool, pause: String? = nil, parked: Int = 0,
                    lastError: LedgerAttempt? = nil, lastSentAt: Date? = nil) {
            self.id = id; self.tenant = tenant; self.mode = mode; self.hasToken = hasToken; self.pause = pause
            self.parked = parked; self.lastError = lastError; self.lastSentAt = lastSentAt
        }
    }

    public struct GatewayAccount: Sendable, Equatable {
        public var gateway: String
        public var account: String
        public var tenant: String
        /// The newest webhook stored for it (last 7 days; nil: none in a week).
        public var lastReceivedAt: Date?
        /// Webhooks stored in the last 24 hours, and how many of them were ignored or unreadable.
        public var received: Int
        public var ignored: Int
        public var lastIgnoredReason: String?

        public init(gateway: String, account: String, tenant: String, lastReceivedAt: Date? = nil, received: Int = 0, ignored: Int = 0,
                    lastIgnoredReason: String? = nil) {
            self.gateway = gateway; self.account = account; self.tenant = tenant; self.lastReceivedAt = lastReceivedAt
            self.received = received; self.ignored = ignored; self.lastIgnoredReason = lastIgnoredReason
        }
    }

    /// A recent sale with what became of its event (nil fate: it produced no event).
    public struct Sale: Sendable, Equatable {
        public var sale: LedgerSale
        public var event: LedgerEventSummary?

        public init(sale: LedgerSale, event: LedgerEventSummary? = nil) {
            self.sale = sale
            self.event = event
        }
    }

    public var collectedAt: Date
    public var pixels: [Pixel]
    public var accounts: [GatewayAccount]
    /// The newest sales of the last 7 days (newest first).
    public var sales: [Sale]
    /// Clicks in the last 24 hours (capped at ``clickCountCap``) and the newest one.
    public var clicksLastDay: Int
    public var lastClickAt: Date?
    public var deadLetters: [DeadLetterGroup]

    /// Clicks are counted up to this many (a busy day has millions; the rules only need "some").
    public static let clickCountCap = 10_000

    public init(collectedAt: Date, pixels: [Pixel] = [], accounts: [GatewayAccount] = [], sales: [Sale] = [], clicksLastDay: Int = 0,
                lastClickAt: Date? = nil, deadLetters: [DeadLetterGroup] = []) {
        self.collectedAt = collectedAt; self.pixels = pixels; self.accounts = accounts; self.sales = sales
        self.clicksLastDay = clicksLastDay; self.lastClickAt = lastClickAt; self.deadLetters = deadLetters
    }
}
