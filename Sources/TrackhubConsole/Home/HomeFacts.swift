/// What the Início page knows about the tenants a user sees, read from the ledger, the sales
/// and the pixels (``ConsoleStore/homeFacts(tenants:)``). Plain values: the status line is
/// decided from them by the pure ``StatusLine/decide(_:)``.
public struct HomeFacts: Sendable, Equatable {
    /// A pixel whose token or permission Meta refused: its events wait (parked) for a new token.
    public struct PixelProblem: Sendable, Equatable {
        public var pixelID: String
        public var tenantID: String
        public var metaCode: Int?
        public var waitingEvents: Int
        public init(pixelID: String, tenantID: String, metaCode: Int?, waitingEvents: Int) {
            self.pixelID = pixelID
            self.tenantID = tenantID
            self.metaCode = metaCode
            self.waitingEvents = waitingEvents
        }
    }

    /// One of the last sales, with what became of it.
    public struct Sale: Sendable, Equatable {
        public enum Fate: String, Sendable {
            case sent, dryRun = "dry_run", waiting, notSent = "not_sent"
        }
        public var gateway: String
        public var transactionID: String
        public var value: Double?
        public var occurredAt: Double
        public var fate: Fate
        public var reason: String?
        public init(gateway: String, transactionID: String, value: Double?, occurredAt: Double, fate: Fate, reason: String?) {
            self.gateway = gateway
            self.transactionID = transactionID
            self.value = value
            self.occurredAt = occurredAt
            self.fate = fate
            self.reason = reason
        }
    }

    public var pixels = 0
    public var salesToday = 0
    public var salesYesterday = 0
    public var revenueToday = 0.0
    public var revenueYesterday = 0.0
    /// Approved sales of today whose Purchase Meta accepted.
    public var sentToday = 0
    public var deadLettersToday = 0
    public var pixelProblems: [PixelProblem] = []
    public var lastSales: [Sale] = []

    public init() {}
}
