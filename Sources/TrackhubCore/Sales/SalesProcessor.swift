public import Foundation
public import Logging
import Metrics

/// Turns authenticated webhooks into conversions and, for a paid sale, exactly one Purchase
/// tied to the click that produced it.
///
/// Matching (docs/MATCHING.md): the click id carried back by the gateway (sck, src, xcod, utm,
/// s1–s3, metadata, client_reference_id; a click of the same tenant), then the buyer's email or
/// phone hash seen on an earlier touchpoint of the same tenant within the attribution window
/// (7 days). An unmatched sale is
/// still sent, with the buyer's own data. The Purchase's event_id is derived from gateway +
/// transaction id, so PURCHASE_COMPLETE after PURCHASE_APPROVED, redeliveries and a second
/// account of the same sale are deduplicated by the registry.
public struct SalesProcessor: Sendable {
    public struct Configuration: Sendable {
        /// How long after a click a sale (or a bot's event by Telegram user) may still be tied
        /// to it, unless configured (`TRACKHUB_ATTRIBUTION_WINDOW_HOURS`).
        public static let defaultAttributionWindow: TimeInterval = 7 * 86_400

        public var attributionWindow: TimeInterval
        /// Where Mercado Pago payments are fetched (`GET {base}/v1/payments/{id}`).
        public var mercadoPagoBaseURL: String
        public var fetchTimeout: Duration
        /// Lowest score a `scored` (IP / user agent / time) match needs (``ScoredMatcher``).
        public var scoreThreshold: Double
        /// Longest a sale event waits for a late click (``LateClickHold``); zero sends at once.
        public var lateClickHold: Duration
        /// How often a held event looks for its click again.
        public var lateClickRecheck: Duration

        public init(attributionWindow: TimeInterval = defaultAttributionWindow, mercadoPagoBaseURL: String = "https://api.mercadopago.com",
                    fetchTimeout: Duration = .seconds(5), scoreThreshold: Double = 0.7,
                    lateClickHold: Duration = .seconds(600), lateClickRecheck: Duration = .seconds(5)) {
            self.attributionWindow = attributionWindow
            self.mercadoPagoBaseURL = mercadoPagoBaseURL
            self.fetchTimeout = fetchTimeout
            self.scoreThreshold = scoreThreshold
            self.lateClickHold = lateClickHold
            self.lateClickRecheck = lateClickRecheck
        }
    }

    public struct Outcome: Sendable {
        public var events: [OutboundEvent] = []
        public var deadLetters: [DeadLetter] = []
        /// Sale events the buyer's consent does not allow (``SaleConsent``): recorded, never sent.
        public var consentBlocked: [(event: OutboundEvent, reason: String)] = []

        /// Their ledger rows (`consent_blocked`, with the reason).
        public var ledger: [LedgerEntry] {
            consentBlocked.map { LedgerEntry(event: $0.event, attempt: 1, outcome: .consentBlocked, metaMessage: $0.reason) }
        }
    }

    public let configuration: Configuration
    public let keys: KeyRing
    public let postgres: PostgresPool
    public let http: CurlClientPool
    public let logger: Logger
    /// Where bot updates of bots with a `forward_url` are queued for their backend (nil: none are).
    public let forwards: (any TelegramForwardQueue)?
    let store = SalesStore()
    let matcher: SaleMatcher
    let validator = CAPIEventValidator()

    public init(configuration: Configuration, keys: KeyRing, postgres: PostgresPool, http: CurlClientPool, logger: Logger,
                forwards: (any TelegramForwardQueue)? = nil) {
        self.configuration = configuration
        self.forwards = forwards
        self.keys = keys
        self.postgres = postgres
        self.http = http
        self.logger = logger
        self.matcher = SaleMatcher(window: configuration.attributionWindow, scoreThreshold: configuration.scoreThreshold)
    }

    /// The `/start` side of Telegram bot updates (``TelegramStartProcessor``).
    var telegramStarts: TelegramStartProcessor {
        TelegramStartProcessor(keys: keys, postgres: postgres, logger: logger,
                               decision: TelegramStartDecision(validator: validator, lateClickHold: configuration.lateClickHold,
                                                               attributionWindow: configuration.attributionWindow))
    }

    /// Turns a batch's webhooks into conversions and events. The conversions, their matches and
    /// the webhooks' inbox outcomes are written set-based in one transaction (one commit for the
    /// batch, not several per sale); a webhook whose body cannot be opened is dead-lettered.
    /// Throws when Postgres fails: nothing is acknowledged and the batch is processed again
    /// (the upserts and the dedupe registry make that safe).
    public func process(_ webhooks: [Envelope], config: DispatchConfig) async throws -> Outcome {
        let now = Date()
        var out = Outcome()
        // Telegram bot updates share the webhook path and inbox but are funnel steps, not sales.
        let updates = webhooks.filter { $0.webhook?.gateway == Gateway.telegram.rawValue }
        if !updates.isEmpty {
            try await queueForwards(updates, config: config, now: now)
            let bots = try await telegramStarts.process(updates, config: config, now: now)
            out.events += bots.events
            out.deadLetters += bots.deadLetters
        }
        var prepared: [PreparedWebhook] = []
        for w in webhooks where w.webhook?.gateway != Gateway.telegram.rawValue {
            do {
                prepared.append(try await prepare(w, config: config))
            } catch let error as Sealed.SealError {
                out.deadLetters.append(.envelope(w, reason: .unparseable, detail: "webhook body cannot be opened: \(error)"))
            }
        }
        let sales = prepared.compactMap(\.sale)
        let inbox = prepared.compactMap(\.inboxOutcome)
        let (ids, found): ([Int64], [SaleMatcher.Result]) = try await postgres.withConnection { [store, matcher] conn in
            try conn.transaction { tx in
                let ids = try store.upsertConversions(sales.map(\.row), connection: tx)
                let found = try matcher.match(sales.map(\.matcherSale), connection: tx)
                try store.insertMatches(zip(ids, found).compactMap { id, f in
                    guard let m = f.match, let tp = m.context.touchpointID else { return nil }
                    return SalesStore.MatchRow(conversionID: id, touchpointID: tp, method: m.method, score: m.score)
                }, connection: tx)
                try store.markInboxes(inbox, connection: tx)
                return (ids, found)
            }
        }
        var saleIndex = 0
        for p in prepared {
            switch p {
            case .ignored(let envelopeID, let gateway, let reason, let type):
                logger.info("webhook ignored", metadata: [LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(gateway)",
                                                          LogKey.eventType: "\(type ?? "-")", LogKey.reason: "\(reason)"])
                Counter(label: "trackhub_webhooks_total", dimensions: [("outcome", "ignored")]).increment()
            case .malformed(let envelope, let reason):
                out.deadLetters.append(.envelope(envelope, reason: .unparseable, detail: "\(envelope.webhook?.gateway ?? "-") webhook: \(reason)"))
            case .notFetched:
                break
            case .sale(let sale):
                try await buildEvent(sale, conversionID: ids[saleIndex], found: found[saleIndex], config: config, now: now, into: &out)
                saleIndex += 1
            }
        }
        return out
    }
}
