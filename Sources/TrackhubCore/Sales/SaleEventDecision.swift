import Foundation

/// What a stored, matched conversion becomes — a pure decision over values, so it is
/// unit-tested without Postgres: which Meta event (if any) the account maps its status to,
/// the event built with what the matched click lends (``SaleClickFields``), a hold for a late
/// click, and the validator's verdict.
struct SaleEventDecision: Sendable {
    /// The outcome for one sale.
    enum Outcome: Sendable {
        /// The status maps to no Meta event (canceled, pending without `pending_event`, …).
        case noEvent
        /// The tenant has no pixel for an event that should be sent.
        case noPixel(DeadLetter)
        /// A gateway's test delivery for a live pixel: recorded, never sent.
        case testDelivery(pixel: String)
        /// Send it (subject to dedupe).
        case send(OutboundEvent)
        /// The buyer's consent does not allow it (``SaleConsent``): recorded `consent_blocked`,
        /// never sent.
        case consentBlocked(OutboundEvent, reason: String)
        /// Past Meta's window: dead-lettered, unless another envelope registered this event
        /// (then it is a late repeat — sent on to dedupe, which records `skipped_duplicate`).
        case expired(OutboundEvent, DeadLetter)
        /// The validator refused it.
        case invalid(DeadLetter)
    }

    /// Which Meta event name and event id a conversion's status becomes (nil name: none).
    static func eventName(for c: Conversion, account: DispatchConfig.GatewayAccount?) -> (name: String?, eventID: String) {
        switch c.status {
        case .approved: return (account?.setting("approved_event") ?? "Purchase", c.purchaseEventID)
        case .pending: return (account?.setting("pending_event"), c.statusEventID)
        case .refunded: return (account?.setting("refund_event"), c.statusEventID)
        case .chargeback: return (account?.setting("chargeback_event"), c.statusEventID)
        case .canceled, .other: return (nil, c.statusEventID)
        }
    }

    let validator: CAPIEventValidator
    /// Longest a sale waits for a late click (zero: never held).
    let lateClickHold: Duration

    /// - Parameters:
    ///   - consent: the tenant's policy for sales.
    ///   - clickDeclined: the newest page event of the sale's click said `consent: false`.
    func decide(_ sale: SalesProcessor.PreparedSale, conversionID: Int64, found: SaleMatcher.Result, now: Date,
                consent: SaleConsentPolicy = .default, clickDeclined: Bool = false) -> Outcome {
        let c = sale.conversion
        let envelopeID = sale.envelope.id
        let (name, eventID) = Self.eventName(for: c, account: sale.account)
        guard let eventName = name else { return .noEvent }
        guard let pixel = sale.pixel else {
            return .noPixel(DeadLetter(reason: .noPixel, detail: "no pixel for tenant \(sale.tenant)", envelopeID: envelopeID))
        }
        // A gateway's test delivery (Hotmart/Kiwify "send test", Stripe/Mercado Pago test mode)
        // is recorded (its inbox outcome says so) but never reaches a live pixel: its made-up
        // sale would count as revenue. A `test` or `dry_run` pixel gets it, so a setup can be
        // checked end to end.
        if sale.isTestForLivePixel { return .testDelivery(pixel: pixel.id) }
        let fields = SaleClickFields(click: found.match?.context, buyerIP: c.ip, buyerUserAgent: c.userAgent)
        let event = CAPIEvent(
            eventName: CAPIEventName(eventName), eventTime: Int(c.occurredAtEpochSeconds), eventId: eventID,
            actionSource: fields.actionSource, eventSourceUrl: fields.sourceURL,
            userData: CAPIUserData(hashed: sale.hashed, fbc: fields.fbc, fbp: fields.fbp, clientIpAddress: fields.ip,
                                   clientUserAgent: fields.userAgent),
            customData: Self.customData(for: c))
        var outbound = OutboundEvent(pixel: pixel.id, envelopeID: envelopeID, conversionID: conversionID, event: event)
        outbound.userDataDropped = sale.dropped
        if case .blocked(let reason) = SaleConsent.decide(policy: consent, sale: SaleConsent.signal(metadata: c.tracking.metadata),
                                                          clickDeclined: clickDeclined) {
            return .consentBlocked(outbound, reason: reason)
        }
        // The click the sale carries is not stored yet: hold the event for it (the best
        // deterministic evidence; an email or scored match found meanwhile is kept as the
        // fallback the event is sent with if the click never comes).
        if !found.pendingClickIDs.isEmpty, lateClickHold > .zero {
            let nowMs = Int64(now.timeIntervalSince1970 * 1000)
            outbound.hold = LateClickHold(tenant: sale.tenant, clickIDs: found.pendingClickIDs,
                                          deadlineMs: nowMs + lateClickHold.wholeMilliseconds, sinceMs: nowMs)
        }
        switch validator.verdict(for: event, now: now) {
        case .valid:
            return .send(outbound)
        case .expired(let v):
            return .expired(outbound, DeadLetter(reason: .expired, detail: v.map(\.description).joined(separator: "; "),
                                                 envelopeID: envelopeID, eventID: eventID, pixel: pixel.id))
        case .invalid(let v):
            return .invalid(DeadLetter(reason: .validation, detail: v.map(\.description).joined(separator: "; "),
                                       envelopeID: envelopeID, eventID: eventID, pixel: pixel.id))
        }
    }

    /// The sale's `custom_data`: the exact amount (``Conversion/metaValue``), currency, order
    /// id and products. A separate function so the bytes Meta gets can be checked against the
    /// gateway's amount without a matched click.
    static func customData(for c: Conversion) -> CAPICustomData {
        CAPICustomData(value: c.metaValue, currency: c.currency, orderId: c.transactionID,
                       contentIds: c.productIDs.isEmpty ? nil : c.productIDs,
                       contentType: c.productIDs.isEmpty ? nil : "product", numItems: c.numItems)
    }
}
