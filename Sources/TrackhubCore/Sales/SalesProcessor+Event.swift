import Foundation
import Logging
import Metrics

/// The last step of a batch's sales, once conversions and matches are stored: the `sale
/// received` line and, for a status the account maps to a Meta event, that event.
extension SalesProcessor {
    func buildEvent(_ sale: PreparedSale, conversionID: Int64, found: SaleMatcher.Result, config: DispatchConfig,
                    now: Date, into out: inout Outcome) async throws {
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

        let (eventName, eventID) = SaleEventDecision.eventName(for: c, account: sale.account)
        // The event id links this line to the send, duplicate or dead-letter lines of the same sale.
        meta[LogKey.eventName] = "\(eventName ?? "none")"
        if eventName != nil { meta[LogKey.eventID] = "\(eventID)" }
        logger.info("sale received", metadata: meta)
        Counter(label: "trackhub_conversions_total", dimensions: [("status", c.status.rawValue), ("matched", match == nil ? "no" : "yes")]).increment()
        let decision = SaleEventDecision(validator: validator, lateClickHold: configuration.lateClickHold)
        let policy = config.tenants[sale.tenant]?.saleConsent ?? .default
        let clickID = found.match?.context.clickID ?? ""
        let clickDeclined = clickID.isEmpty || eventName == nil ? false : try await postgres.withConnection { [store] in
            try store.clickDeclinedConsent(tenant: sale.tenant, clickID: clickID, connection: $0)
        }
        switch decision.decide(sale, conversionID: conversionID, found: found, now: now, consent: policy, clickDeclined: clickDeclined) {
        case .noEvent:
            return
        case .noPixel(let letter), .invalid(let letter):
            out.deadLetters.append(letter)
        case .testDelivery(let pixel):
            logger.notice("gateway test delivery not sent to a live pixel", metadata: [
                LogKey.envelopeID: "\(envelopeID)", LogKey.gateway: "\(c.gateway.rawValue)", LogKey.pixel: "\(pixel)",
                LogKey.eventID: "\(eventID)",
            ])
        case .send(let event):
            out.events.append(event)
        case .consentBlocked(let event, let reason):
            logger.info("sale event not sent: consent", metadata: [
                LogKey.envelopeID: "\(envelopeID)", LogKey.eventID: "\(event.eventID)", LogKey.pixel: "\(event.pixel)",
                LogKey.outcome: "consent_blocked", LogKey.reason: "\(reason)",
            ])
            Counter(label: "trackhub_sales_consent_blocked_total").increment()
            out.consentBlocked.append((event, reason))
        case .expired(let event, let letter):
            // A late repeat of an event another delivery already registered — Hotmart's
            // PURCHASE_COMPLETE and Monetizze's COMPLETA arrive weeks after the approval, with
            // the approval time — is a duplicate, not a dead letter: hand it to the pipeline,
            // which records it as `skipped_duplicate` and never sends it (it is not this
            // envelope's). Only an event nobody sent is dead-lettered as expired.
            let owner = try await postgres.withConnection { [store] in
                try store.dedupeOwner(pixel: event.pixel, eventName: event.eventName, eventID: event.eventID, connection: $0)
            }
            if let owner, owner != envelopeID {
                out.events.append(event)
            } else {
                out.deadLetters.append(letter)
            }
        }
    }
}
