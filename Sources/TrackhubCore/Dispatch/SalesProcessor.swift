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

        public init(attributionWindow: TimeInterval = 7 * 86_400, mercadoPagoBaseURL: String = "https://api.mercadopago.com",
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
    }

    public let configuration: Configuration
    public let keys: KeyRing
    public let postgres: PostgresPool
    public let http: CurlClientPool
    public let logger: Logger
    private let store = SalesStore()
    private let matcher: SaleMatcher
    private let validator = CAPIEventValidator()

    public init(configuration: Configuration, keys: KeyRing, postgres: PostgresPool, http: CurlClientPool, logger: Logger) {
        self.configuration = configuration
        self.keys = keys
        self.postgres = postgres
        self.http = http
        self.logger = logger
        self.matcher = SaleMatcher(window: configuration.attributionWindow, scoreThreshold: configuration.scoreThreshold)
    }

    public func process(_ envelope: Envelope, config: DispatchRuntimeConfig) async throws -> Outcome {
        var out = Outcome()
        guard let w = envelope.webhook, let gateway = Gateway(rawValue: w.gateway) else { return out }
        let body = Array(try keys.open(w.body, context: Envelope.webhookSealContext))
        let account = config.accounts["\(w.gateway)/\(w.account)"]
        let received = Date(timeIntervalSince1970: Double(envelope.receivedAt) / 1000)
        var result = GatewayParser.parse(gateway: gateway, account: w.account, body: body, contentType: w.contentType,
                                         query: w.query.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                                         headers: w.headers, receivedAt: received)
        if case .needsFetch(let ref) = result {
            result = await fetchMercadoPago(ref, account: account, w: w, received: received)
        }
        let envelopeID = envelope.id
        switch result {
        case .ignored(let reason, let type):
            try await postgres.withConnection { [store] in try store.markInbox(envelopeID: envelopeID, outcome: "ignored: \(reason)", connection: $0) }
            logger.info("webhook ignored", metadata: [LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(w.gateway)",
                                                      "event_type": "\(type ?? "-")", LogKey.reason: "\(reason)"])
            Counter(label: "trackhub_webhooks_total", dimensions: [("outcome", "ignored")]).increment()
            return out
        case .malformed(let reason):
            try await postgres.withConnection { [store] in try store.markInbox(envelopeID: envelopeID, outcome: "dead_lettered: \(reason)", connection: $0) }
            out.deadLetters.append(DeadLetter(reason: .unparseable, detail: "\(w.gateway) webhook: \(reason)", envelopeID: envelopeID,
                                              payload: (try? envelope.encoded()).map { String(decoding: $0, as: UTF8.self) }))
            return out
        case .needsFetch:
            return out
        case .conversion(let conversion):
            try await handle(conversion, envelope: envelope, account: account, config: config, into: &out)
            return out
        }
    }

    private func handle(_ c: Conversion, envelope: Envelope, account: DispatchRuntimeConfig.Account?,
                        config: DispatchRuntimeConfig, into out: inout Outcome) async throws {
        let tenantID = account?.tenant ?? envelope.tenant
        let tenant = config.tenants[tenantID]
        let normalizer = UserDataNormalizer(defaultCountryCallingCode: tenant?.defaultCountryCallingCode ?? "55",
                                            defaultCountry: tenant?.defaultCountry ?? "br")
        var raw = c.buyer
        if raw.externalId == nil, let doc = c.document, !doc.isEmpty { raw.externalId = doc }
        let hashed = normalizer.normalize(raw)
        let buyerJSON = String(decoding: (try? JSONEncoder().encode(hashed)) ?? Data("{}".utf8), as: UTF8.self)
        let envelopeID = envelope.id
        let (conversionID, found): (Int64, SaleMatcher.Result) = try await postgres.withConnection { [store, matcher] conn in
            let id = try store.upsertConversion(c, tenant: tenantID, buyerHashedJSON: buyerJSON, envelopeID: envelopeID, connection: conn)
            let found = try matcher.match(c, tenant: tenantID, hashed: hashed, connection: conn)
            if let m = found.match, let tp = m.context.touchpointID {
                try store.insertMatch(conversionID: id, touchpointID: tp, method: m.method, score: m.score, connection: conn)
            }
            try store.markInbox(envelopeID: envelopeID, outcome: "conversion \(c.status.rawValue)", connection: conn)
            return (id, found)
        }
        let match = found.match.map { ($0.context, $0.method, $0.score) }
        var meta: Logger.Metadata = [
            LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(c.gateway.rawValue)", LogKey.account: "\(c.account)",
            LogKey.orderID: "\(c.transactionID)", "status": "\(c.status.rawValue)", "conversion_id": "\(conversionID)",
            "match_method": "\(match?.1 ?? "none")", "match_score": "\(match?.2 ?? 0)",
        ]
        if let click = match?.0, !click.clickID.isEmpty { meta[LogKey.clickID] = "\(click.clickID)" }
        if !found.pendingClickIDs.isEmpty { meta["pending_click_id"] = "\(found.pendingClickIDs.joined(separator: ","))" }

        // Which Meta event, if any, this status becomes.
        let eventName: String?
        let eventID: String
        switch c.status {
        case .approved: eventName = account?.settings["approved_event"] ?? "Purchase"; eventID = c.purchaseEventID
        case .pending: eventName = account?.settings["pending_event"]; eventID = c.statusEventID
        case .refunded: eventName = account?.settings["refund_event"]; eventID = c.statusEventID
        case .chargeback: eventName = account?.settings["chargeback_event"]; eventID = c.statusEventID
        case .canceled, .other: eventName = nil; eventID = c.statusEventID
        }
        // The event id links this line to the send, duplicate or dead-letter lines of the same sale.
        meta["event_name"] = "\(eventName ?? "none")"
        if eventName != nil { meta[LogKey.eventID] = "\(eventID)" }
        logger.info("sale received", metadata: meta)
        Counter(label: "trackhub_conversions_total", dimensions: [("status", c.status.rawValue), ("matched", match == nil ? "no" : "yes")]).increment()
        guard let eventName else { return }
        guard let pixel = config.pixel(tenant: tenantID, preferred: account?.pixel) else {
            out.deadLetters.append(DeadLetter(reason: .noPixel, detail: "no pixel for tenant \(tenantID)", envelopeID: envelopeID))
            return
        }
        // A gateway's test delivery (Hotmart/Kiwify "send test", Stripe/Mercado Pago test mode)
        // is recorded but never reaches a live pixel: its made-up sale would count as revenue.
        // A `test` or `dry_run` pixel gets it, so a setup can be checked end to end.
        if c.isTest, pixel.mode == .live {
            let status = c.status.rawValue
            try await postgres.withConnection { [store] in
                try store.markInbox(envelopeID: envelopeID, outcome: "conversion \(status) (gateway test delivery: not sent to live pixel \(pixel.id))",
                                    connection: $0)
            }
            logger.notice("gateway test delivery not sent to a live pixel", metadata: [
                LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(c.gateway.rawValue)", LogKey.pixel: "\(pixel.id)",
                LogKey.eventID: "\(eventID)",
            ])
            return
        }
        let fields = SaleClickFields(click: match?.0, buyerIP: c.ip, buyerUserAgent: c.userAgent)
        let event = CAPIEvent(
            eventName: CAPIEventName(eventName), eventTime: Int(c.occurredAtEpochSeconds), eventId: eventID,
            actionSource: fields.actionSource, eventSourceUrl: fields.sourceURL,
            userData: CAPIUserData(hashed: hashed, fbc: fields.fbc, fbp: fields.fbp, clientIpAddress: fields.ip,
                                   clientUserAgent: fields.userAgent),
            customData: CAPICustomData(value: c.valueDouble, currency: c.currency, orderId: c.transactionID,
                                       contentIds: c.productIDs.isEmpty ? nil : c.productIDs,
                                       contentType: c.productIDs.isEmpty ? nil : "product", numItems: c.numItems))
        var outbound = OutboundEvent(pixel: pixel.id, eventName: eventName, eventID: eventID, envelopeID: envelopeID,
                                     conversionID: conversionID, eventTime: Int64(event.eventTime),
                                     eventJSON: String(decoding: try event.jsonData(), as: UTF8.self))
        // The click the sale carries is not stored yet: hold the event for it (the best
        // deterministic evidence; an email or scored match found meanwhile is kept as the
        // fallback the event is sent with if the click never comes).
        if !found.pendingClickIDs.isEmpty, configuration.lateClickHold > .zero {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            outbound.hold = LateClickHold(tenant: tenantID, clickIDs: found.pendingClickIDs,
                                          deadlineMs: now + configuration.lateClickHold.wholeMilliseconds, sinceMs: now)
        }
        switch validator.verdict(for: event, now: Date()) {
        case .valid: break
        case .expired(let v):
            // A late repeat of an event another delivery already registered — Hotmart's
            // PURCHASE_COMPLETE and Monetizze's COMPLETA arrive weeks after the approval, with
            // the approval time — is a duplicate, not a dead letter: hand it to the pipeline,
            // which records it as `skipped_duplicate` and never sends it (it is not this
            // envelope's). Only an event nobody sent is dead-lettered as expired.
            let owner = try await postgres.withConnection { [store] in
                try store.dedupeOwner(pixel: pixel.id, eventName: eventName, eventID: eventID, connection: $0)
            }
            if let owner, owner != envelopeID {
                out.events.append(outbound)
                return
            }
            out.deadLetters.append(DeadLetter(reason: .expired, detail: v.map(\.description).joined(separator: "; "),
                                              envelopeID: envelopeID, eventID: eventID, pixel: pixel.id))
            return
        case .invalid(let v):
            out.deadLetters.append(DeadLetter(reason: .validation, detail: v.map(\.description).joined(separator: "; "),
                                              envelopeID: envelopeID, eventID: eventID, pixel: pixel.id))
            return
        }
        out.events.append(outbound)
    }

    /// Fetches a Mercado Pago payment (three attempts) and parses it.
    private func fetchMercadoPago(_ ref: MercadoPagoPaymentRef, account: DispatchRuntimeConfig.Account?,
                                  w: Envelope.Webhook, received: Date) async -> ParseResult {
        guard let token = account?.apiToken, !token.isEmpty else {
            return .needsFetchFailedResult("no api token configured for mercadopago/\(w.account)")
        }
        var last = "no attempt"
        for attempt in 1...3 {
            let outcome = await http.get(url: configuration.mercadoPagoBaseURL + ref.apiPath,
                                         headers: ["Authorization: Bearer \(token)", "Accept: application/json"],
                                         timeout: configuration.fetchTimeout)
            switch outcome {
            case .response(let status, let body, _) where status == 200:
                return GatewayParser.parseMercadoPagoPayment(account: w.account, json: body, receivedAt: received)
            case .response(let status, _, _):
                last = "HTTP \(status)"
                if status == 404 || status == 401 || status == 403 { return .needsFetchFailedResult("payment fetch: \(last)") }
            case .failure(let kind, let message, _):
                last = "\(kind.rawValue): \(message)"
            }
            try? await Task.sleep(for: .milliseconds(200 * attempt))
        }
        return .needsFetchFailedResult("payment fetch failed: \(last)")
    }
}

extension ParseResult {
    /// A Mercado Pago fetch that failed: dead-lettered (replayable once the API answers).
    static func needsFetchFailedResult(_ reason: String) -> ParseResult { .malformed(reason: reason) }
}
