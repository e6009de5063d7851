public import Foundation
import Logging
import Metrics

extension SalesProcessor {
    /// What became of held events that came due.
    public struct HeldRecheck: Sendable {
        /// Released (hold cleared): send now, patched with their click when it was found.
        public var release: [OutboundEvent] = []
        /// Still waiting for their click, with the next due time (Unix ms).
        public var wait: [(OutboundEvent, Int64)] = []
        /// Bot `/start` events whose click never came: never sent (ledger `click_missing`).
        public var dropped: [(event: OutboundEvent, reason: String)] = []
    }

    /// Looks again for the click of each held event (see ``LateClickHold``). A click of the
    /// hold's tenant that is stored now is matched (`matches.method = click_id`) and lends its
    /// fbc/fbp/IP/UA to the event; past the deadline, or when every pending id turned out to
    /// be another tenant's click, the event is released as first built.
    public func recheckHeld(_ events: [OutboundEvent], now: Date) async throws -> HeldRecheck {
        var out = HeldRecheck()
        let held = events.filter { $0.hold != nil }
        out.release = events.filter { $0.hold == nil }
        guard !held.isEmpty else { return out }
        let ids = Array(Set(held.flatMap { $0.hold?.clickIDs ?? [] }))
        let clicks = try await postgres.withConnection { try DispatchStore().clicks(ids: ids, connection: $0) }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var matched: [(OutboundEvent, ClickContext)] = []
        var links: [TelegramBotUserLink] = []
        let decision = LateClickRecheck(validator: validator, recheck: configuration.lateClickRecheck)
        for event in held {
            let waited = "\(max(0, nowMs - (event.hold?.sinceMs ?? nowMs)))"
            switch decision.decide(event, clicks: clicks, now: now) {
            case .matched(let released, let click):
                matched.append((released, click))
                // A held /start that found its click links the bot user to it (no conversion).
                if let hold = event.hold, let start = hold.botStart {
                    links.append(TelegramBotUserLink(tenant: hold.tenant, bot: start.bot, userHash: start.userHash, clickID: click.clickID,
                                                     touchpointID: click.touchpointID, envelopeID: event.envelopeID,
                                                     startedAt: Date(timeIntervalSince1970: Double(start.startedAtMs) / 1000)))
                }
                logger.info("late click matched", metadata: [
                    LogKey.eventID: "\(event.eventID)", LogKey.clickID: "\(click.clickID)", LogKey.envelopeID: "\(event.envelopeID)",
                    "match_method": "click_id", LogKey.heldMs: "\(waited)",
                ])
                Counter(label: "trackhub_late_clicks_total", dimensions: [("outcome", "matched")]).increment()
                out.release.append(released)
            case .patchRefused(let released, let click, let violations):
                logger.notice("late click refused by validation; sending the sale as first built", metadata: [
                    LogKey.eventID: "\(event.eventID)", LogKey.clickID: "\(click.clickID)", LogKey.envelopeID: "\(event.envelopeID)",
                    LogKey.heldMs: "\(waited)", LogKey.reason: "\(violations)",
                ])
                Counter(label: "trackhub_late_clicks_total", dimensions: [("outcome", "refused")]).increment()
                out.release.append(released)
            case .notFound(let released, let reason):
                logger.notice("late click did not arrive; sending the sale with what matched", metadata: [
                    LogKey.eventID: "\(event.eventID)", LogKey.envelopeID: "\(event.envelopeID)", LogKey.heldMs: "\(waited)",
                    LogKey.reason: "\(reason)",
                ])
                Counter(label: "trackhub_late_clicks_total", dimensions: [("outcome", "not_found")]).increment()
                out.release.append(released)
            case .wait(let event, let due):
                out.wait.append((event, due))
            case .dropped(let dropped, let reason):
                logger.notice("bot /start not sent: its click never arrived", metadata: [
                    LogKey.eventID: "\(event.eventID)", LogKey.envelopeID: "\(event.envelopeID)", LogKey.heldMs: "\(waited)",
                    LogKey.clickID: "\(event.hold?.clickIDs.joined(separator: ",") ?? "")", LogKey.reason: "\(reason)",
                ])
                Counter(label: "trackhub_telegram_starts_total", dimensions: [("outcome", "click_missing")]).increment()
                out.dropped.append((dropped, reason))
            }
        }
        let rows = matched.compactMap { event, click -> SalesStore.MatchRow? in
            guard let conversion = event.conversionID, let tp = click.touchpointID else { return nil }
            return SalesStore.MatchRow(conversionID: conversion, touchpointID: tp, method: "click_id", score: 1.0)
        }
        if !rows.isEmpty || !links.isEmpty {
            try await postgres.withConnection { [store, rows, links] conn in
                try conn.transaction { tx in
                    try store.insertMatches(rows, connection: tx)
                    try TelegramBotUserStore().upsert(links, connection: tx)
                }
            }
        }
        return out
    }
}
