import Foundation

/// The first, Postgres-free step of a batch's sales: open each webhook body, parse it (fetching
/// the payment for a Mercado Pago notification), and hash the buyer's data.
extension SalesProcessor {
    /// A webhook of the batch after parsing.
    enum PreparedWebhook: Sendable {
        /// Stored, deliberately not turned into a conversion (a status or event type Trackhub
        /// does not send).
        case ignored(envelopeID: String, gateway: String, reason: String, eventType: String?)
        /// Cannot be parsed: dead-lettered (replayable).
        case malformed(Envelope, reason: String)
        /// A Mercado Pago notification without a payment to fetch.
        case notFetched
        case sale(PreparedSale)

        var sale: PreparedSale? {
            if case .sale(let s) = self { return s }
            return nil
        }

        /// What the webhook inbox records for it.
        var inboxOutcome: (envelopeID: String, outcome: String)? {
            switch self {
            case .ignored(let id, _, let reason, _): (id, "ignored: \(reason)")
            case .malformed(let envelope, let reason): (envelope.id, "dead_lettered: \(reason)")
            case .notFetched: nil
            case .sale(let s): (s.envelope.id, s.inboxOutcome)
            }
        }
    }

    /// A parsed conversion with everything its storage, matching and event need.
    struct PreparedSale: Sendable {
        var envelope: Envelope
        var conversion: Conversion
        var account: DispatchConfig.GatewayAccount?
        var tenant: String
        var hashed: HashedUserData
        var buyerJSON: String
        /// Buyer identifiers given but dropped as invalid (the ledger note).
        var dropped: [HashedUserData.Key] = []
        /// The pixel it goes to (nil: the tenant has none — dead-lettered when it has an event).
        var pixel: DispatchConfig.Pixel?

        /// A gateway's test delivery is recorded but never reaches a live pixel.
        var isTestForLivePixel: Bool { conversion.isTest && pixel?.mode == .live }

        var inboxOutcome: String {
            let status = conversion.status.rawValue
            if isTestForLivePixel, let pixel { return "conversion \(status) (gateway test delivery: not sent to live pixel \(pixel.id))" }
            return "conversion \(status)"
        }

        var row: SalesStore.ConversionRow {
            SalesStore.ConversionRow(conversion: conversion, tenant: tenant, buyerHashedJSON: buyerJSON, envelopeID: envelope.id)
        }

        var matcherSale: SaleMatcher.Sale { SaleMatcher.Sale(conversion: conversion, tenant: tenant, hashed: hashed) }
    }

    /// Opens and parses one webhook. Throws only ``Sealed/SealError`` (a body that cannot be opened).
    func prepare(_ envelope: Envelope, config: DispatchConfig) async throws -> PreparedWebhook {
        guard let w = envelope.webhook, let gateway = Gateway(rawValue: w.gateway) else {
            return .ignored(envelopeID: envelope.id, gateway: envelope.webhook?.gateway ?? "-", reason: "unknown gateway", eventType: nil)
        }
        let body = Array(try keys.open(w.body, for: .webhookBody(tenant: envelope.tenant, envelope: envelope.id)))
        let account = config.gatewayAccount(gateway: w.gateway, account: w.account)
        let received = Date(timeIntervalSince1970: Double(envelope.receivedAt) / 1000)
        var result = GatewayParser.parse(gateway: gateway, account: w.account, body: body, contentType: w.contentType,
                                         query: w.query.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                                         headers: w.headers, receivedAt: received)
        if case .needsFetch(let ref) = result {
            result = await fetchMercadoPago(ref, account: account, w: w, received: received)
        }
        switch result {
        case .ignored(let reason, let type): return .ignored(envelopeID: envelope.id, gateway: w.gateway, reason: reason, eventType: type)
        case .malformed(let reason): return .malformed(envelope, reason: reason)
        case .needsFetch: return .notFetched
        case .conversion(let c):
            let tenantID = account?.tenant ?? envelope.tenant
            let tenant = config.tenants[tenantID]
            let normalizer = UserDataNormalizer(defaultCountryCallingCode: tenant?.defaultCountryCallingCode ?? "55",
                                                defaultCountry: tenant?.defaultCountry ?? "br")
            let raw = c.buyerForHashing
            let hashed = normalizer.normalize(raw)
            let dropped = UserDataDrops.count(raw, hashed, source: .sale)
            let buyerJSON = SalesStore.buyerJSON(hashed)
            return .sale(PreparedSale(envelope: envelope, conversion: c, account: account, tenant: tenantID, hashed: hashed,
                                      buyerJSON: buyerJSON, dropped: dropped, pixel: config.pixel(tenant: tenantID, preferred: account?.pixel)))
        }
    }

    /// Fetches a Mercado Pago payment (three attempts) and parses it.
    private func fetchMercadoPago(_ ref: MercadoPagoPaymentRef, account: DispatchConfig.GatewayAccount?,
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
