import Foundation
import Logging
import Metrics

/// The last step of a batch's sales, once conversions and matches are stored: the `sale
/// received` line and, for a status the account maps to a Meta event, that event.
extension SalesProcessor {
    func buildEvent(_ sale: PreparedSale, conversionID: Int64, found: SaleMatcher.Result, config: DispatchConfig,
                    into out: inout Outcome) async throws {
        let c = sale.conversion
        let envelopeID = sale.envelope.id
        let match = found.match.map { ($0.context, $0.method, $0.score) }
        var meta: Logger.Metadata = [
            LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(c.gateway.rawValue)", LogKey.account: "\(c.account)",
            LogKey.orderID: "\(c.transactionID)", LogKey.status: "\(c.status.rawValue)", LogKey.conversionID: "\(conversionID)",
            LogKey.matchMethod: "\(match?.1 ?? "none")", LogKey.matchScore: "\(match?.2 ?? 0)",
        ]
        if let click = match?.0, !click.clickID.isEmpty { meta[LogKey.clickID] = "\(click.clickID)" }
        if !found.pendingClickIDs.isEmpty { meta[LogKey.pendingClickID] = "\(found.pendingClickIDs.joined(separator: ","))" }

        // Which Meta event, if any, this status becomes.
        let account = sale.account
        let eventName: String?
        let eventID: String
        switch c.status {
        case .approved: eventName = account?.setting("approved_event") ?? "Purchase"; eventID = c.purchaseEventID
        case .pending: eventName = account?.setting("pending_event"); eventID = c.statusEventID
        case .refunded: eventName = account?.setting("refund_event"); eventID = c.statusEventID
        case .chargeback: eventName = account?.setting("chargeback_event"); eventID = c.statusEventID
        case .canceled, .other: eventName = nil; eventID = c.statusEventID
        }
        // The event id links this line to the send, duplicate or dead-letter lines of the same sale.
        meta[LogKey.eventName] = "\(eventName ?? "none")"
        if eventName != nil { meta[LogKey.eventID] = "\(eventID)" }
        logger.info("sale received", metadata: meta)
        Counter(label: "trackhub_conversions_total", dimensions: [("status", c.status.rawValue), ("matched", match == nil ? "no" : "yes")]).increment()
        guard let eventName else { return }
        guard let pixel = sale.pixel else {
            out.deadLetters.append(DeadLetter(reason: .noPixel, detail: "no pixel for tenant \(sale.tenant)", envelopeID: envelopeID))
            return
        }
        // A gateway's test delivery (Hotmart/Kiwify "send test", Stripe/Mercado Pago test mode)
        // is recorded (its inbox outcome says so) but never reaches a live pixel: its made-up
        // sale would count as revenue. A `test` or `dry_run` pixel gets it, so a setup can be
        // checked end to end.
        if sale.isTestForLivePixel {
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
            userData: CAPIUserData(hashed: sale.hashed, fbc: fields.fbc, fbp: fields.fbp, clientIpAddress: fields.ip,
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
            outbound.hold = LateClickHold(tenant: sale.tenant, clickIDs: found.pendingClickIDs,
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
}
