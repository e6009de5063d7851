import Foundation

/// What becomes of one held sale event when its recheck comes due (see ``LateClickHold``) — a
/// pure decision over the clicks stored now, so it is unit-tested without Postgres.
///
/// A click of the hold's tenant (``ClickLending``) patches the typed event's fields, and the
/// patched event is validated again before it is released; past the deadline, or when every
/// pending id turned out to be another tenant's click, the event is released as first built;
/// otherwise it waits for the next recheck.
struct LateClickRecheck: Sendable {
    enum Verdict: Sendable, Equatable {
        /// Released with the click's fields (`matches.method = click_id`).
        case matched(OutboundEvent, click: ClickContext)
        /// The click was found but the event it would make is refused by the validator:
        /// released as first built (it was valid then).
        case patchRefused(OutboundEvent, click: ClickContext, violations: String)
        /// Released as first built; `reason` says why (for the log).
        case notFound(OutboundEvent, reason: String)
        /// Still waiting, due again at this time (Unix ms).
        case wait(OutboundEvent, dueMs: Int64)
        /// A bot `/start` whose click never came (or is another tenant's): never sent; the
        /// ledger records `click_missing` with the reason.
        case dropped(OutboundEvent, reason: String)
    }

    let validator: CAPIEventValidator
    let recheck: Duration

    /// `event` must carry a hold (an event without one is released unchanged).
    func decide(_ event: OutboundEvent, clicks: [String: [ClickContext]], now: Date) -> Verdict {
        var released = event
        released.hold = nil
        guard let hold = event.hold else { return .notFound(released, reason: "not held") }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        if hold.botStart != nil { return decideBotStart(event, hold: hold, released: released, clicks: clicks, now: now) }
        if let click = ClickLending.ownClick(ids: hold.clickIDs, tenant: hold.tenant, in: clicks) {
            let patched = SaleClickFields(click: click, buyerIP: nil, buyerUserAgent: nil).applied(to: event.event)
            if case .invalid(let v) = validator.verdict(for: patched, now: now) {
                return .patchRefused(released, click: click, violations: v.map(\.description).joined(separator: "; "))
            }
            released.event = patched
            return .matched(released, click: click)
        }
        if nowMs >= hold.deadlineMs { return .notFound(released, reason: "hold deadline passed") }
        if hold.clickIDs.allSatisfy({ clicks[$0] != nil }) { return .notFound(released, reason: "click belongs to another tenant") }
        return .wait(event, dueMs: min(nowMs + recheck.wholeMilliseconds, hold.deadlineMs))
    }

    /// A held bot `/start`: sent only with its click (``TelegramStartDecision/lending(_:to:)``:
    /// the action source stays `chat`), dropped at the deadline or when the id is another
    /// tenant's click.
    private func decideBotStart(_ event: OutboundEvent, hold: LateClickHold, released: OutboundEvent,
                                clicks: [String: [ClickContext]], now: Date) -> Verdict {
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        if let click = ClickLending.ownClick(ids: hold.clickIDs, tenant: hold.tenant, in: clicks) {
            var matched = released
            matched.event = TelegramStartDecision.lending(click, to: event.event)
            if case .invalid(let v) = validator.verdict(for: matched.event, now: now) {
                return .dropped(released, reason: "click found, event refused by validation: \(v.map(\.description).joined(separator: "; "))")
            }
            return .matched(matched, click: click)
        }
        if hold.clickIDs.allSatisfy({ clicks[$0] != nil }) { return .dropped(released, reason: "click belongs to another tenant") }
        if nowMs >= hold.deadlineMs { return .dropped(released, reason: "click did not arrive before the hold deadline") }
        return .wait(event, dueMs: min(nowMs + recheck.wholeMilliseconds, hold.deadlineMs))
    }
}
