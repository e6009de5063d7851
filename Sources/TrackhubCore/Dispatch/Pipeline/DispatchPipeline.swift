public import Foundation
public import Logging
import Metrics

/// Processes a batch of stream entries end to end — the imperative shell over the pure stages:
///
/// 1. decode entries → envelopes + dead letters (``EnvelopeInterpreter/decode(_:config:)``);
///    a bot's events by Telegram user id get the click of that user's `/start`
///    (``DecodedBatch/lendTelegramClicks(_:window:)``);
/// 2. store touchpoints and webhooks, look up clicks (``DispatchStorage``);
/// 3. interpret: sales from webhooks (``SalesStage``), funnel events from envelopes and the
///    clicks they borrow from (``EnvelopeInterpreter/interpretFunnel(_:clicks:config:now:)``);
/// 4. register for dedupe (``DispatchStorage``) → ``SendPlan`` (per-pixel sends, held sales,
///    skipped duplicates);
/// 5. deliver each pixel's events (``EventSender``), record everything (``OutcomeRecorder``).
///
/// Returns when every outcome is durable, so the caller can XACK the entries. Throws (without
/// acknowledging anything) when Postgres or Redis is unavailable: the entries stay pending and
/// are processed again; the dedupe registry makes the rerun send each event at most once more,
/// with the same event_id.
public struct DispatchPipeline: Sendable {
    public let interpreter: EnvelopeInterpreter
    public let sender: EventSender
    public let recorder: OutcomeRecorder
    public let storage: any DispatchStorage
    public let logger: Logger
    /// Turns stored webhooks into conversions and Purchases (nil: webhooks are only stored).
    public let sales: (any SalesStage)?

    public init(interpreter: EnvelopeInterpreter, sender: EventSender, recorder: OutcomeRecorder, storage: any DispatchStorage,
                logger: Logger, sales: (any SalesStage)? = nil) {
        self.interpreter = interpreter
        self.sender = sender
        self.recorder = recorder
        self.storage = storage
        self.logger = logger
        self.sales = sales
    }

    /// The production pipeline: touchpoints, webhooks and dedupe in Postgres.
    public init(interpreter: EnvelopeInterpreter, sender: EventSender, recorder: OutcomeRecorder,
                postgres: PostgresPool, logger: Logger, sales: SalesProcessor? = nil) {
        self.init(interpreter: interpreter, sender: sender, recorder: recorder, storage: PostgresDispatchStorage(postgres: postgres),
                  logger: logger, sales: sales)
    }

    public func process(_ entries: [StreamEntry], config: DispatchConfig, now: Date = Date()) async throws {
        guard !entries.isEmpty else { return }
        var result = SendResult()
        var batch = interpreter.decode(entries, config: config)
        result.deadLetters += batch.deadLetters
        // A bot's event by Telegram user id takes the click of that user's /start, before its
        // touchpoint is stored (so the touchpoint names the click too).
        let telegramUsers = batch.telegramUsers
        if !telegramUsers.isEmpty {
            batch.lendTelegramClicks(try await storage.telegramUserClicks(telegramUsers),
                                     window: sales?.attributionWindow ?? SalesProcessor.Configuration.defaultAttributionWindow)
        }

        // Touchpoints and webhooks first: a later event in this same batch can then find its click.
        let webhooks = batch.webhooks
        let clicks = try await storage.store(touchpoints: interpreter.touchpoints(batch), webhooks: webhooks, thenClicks: batch.clickIDs)
        for w in webhooks {
            logger.debug("webhook stored", metadata: [LogKey.envelopeID: "\(w.id)", LogKey.gateway: "\(w.webhook?.gateway ?? "-")",
                                                      LogKey.account: "\(w.webhook?.account ?? "-")"])
        }

        // Build events: sales from webhooks (stored above, so nothing is lost if parsing fails) ...
        var candidates: [OutboundEvent] = []
        if let sales, !webhooks.isEmpty {
            let outcome = try await sales.process(webhooks, config: config)
            candidates += outcome.events
            result.deadLetters += outcome.deadLetters
            result.ledger += outcome.ledger
        }
        // ... and funnel events from clicks and /track.
        let funnel = interpreter.interpretFunnel(batch, clicks: clicks, config: config, now: now)
        candidates += funnel.events
        result.deadLetters += funnel.deadLetters
        result.ledger += funnel.ledger
        logFunnel(funnel)

        let dedupe = try await storage.registerForDedupe(candidates)
        let holdDue = Self.ms(now) + (sales?.lateClickRecheck.wholeMilliseconds ?? 0)
        let plan = SendPlan(candidates: candidates, dedupe: dedupe, holdDueMs: holdDue)
        result.merge(plan.result)
        logPlan(plan)
        for (pixelID, events) in plan.pixels {
            result.merge(try await deliver(events, pixelID: pixelID, config: config))
        }
        try await recorder.record(result, fromRetrySchedule: false)
        Counter(label: "trackhub_dispatch_envelopes_total").increment(by: entries.count)
    }

    /// Sends events that came back from the retry schedule.
    public func processRetries(_ events: [OutboundEvent], config: DispatchConfig) async throws {
        var result = SendResult()
        var ready = events
        if let sales, events.contains(where: { $0.hold != nil }) {
            let recheck = try await sales.recheckHeld(events)
            ready = recheck.release
            result.schedule += recheck.wait
            for (event, reason) in recheck.dropped {
                result.ledger.append(LedgerEntry(event: event, attempt: event.attempts + 1, outcome: .clickMissing, metaMessage: reason))
                result.finished.append(event)
            }
        }
        var byPixel: [(String, [OutboundEvent])] = []
        var index: [String: Int] = [:]
        for e in ready {
            if let i = index[e.pixel] { byPixel[i].1.append(e) } else { index[e.pixel] = byPixel.count; byPixel.append((e.pixel, [e])) }
        }
        for (pixelID, list) in byPixel {
            result.merge(try await deliver(list, pixelID: pixelID, config: config))
        }
        try await recorder.record(result, fromRetrySchedule: true)
    }

    /// One pixel's events to the sender; a pixel no longer configured dead-letters them.
    private func deliver(_ events: [OutboundEvent], pixelID: String, config: DispatchConfig) async throws -> SendResult {
        guard let pixel = config.pixels[pixelID] else {
            var result = SendResult()
            for e in events { result.deadLetter(e, reason: .noPixel, detail: "pixel \(pixelID) is not configured", attempt: e.attempts + 1) }
            return result
        }
        return try await sender.send(events, pixel: pixel)
    }

    private func logFunnel(_ funnel: FunnelEvents) {
        for blocked in funnel.consentBlocked {
            logger.info("event not sent: consent declined", metadata: [LogKey.eventID: "\(blocked.eventID)",
                                                                      LogKey.envelopeID: "\(blocked.envelopeID)", LogKey.outcome: "consent_blocked"])
        }
        for (envelopeID, note) in funnel.notes {
            logger.debug("envelope stored, nothing to send", metadata: [LogKey.envelopeID: "\(envelopeID)", LogKey.reason: "\(note)"])
        }
    }

    private func logPlan(_ plan: SendPlan) {
        for (c, _) in plan.held {
            let ids = c.hold?.clickIDs.joined(separator: ",") ?? ""
            logger.info("sale held for its late click", metadata: [
                LogKey.eventID: "\(c.eventID)", LogKey.pixel: "\(c.pixel)", LogKey.envelopeID: "\(c.envelopeID)",
                LogKey.clickID: "\(ids)", LogKey.outcome: "held",
            ])
        }
        for (c, why) in plan.duplicates {
            logger.info("duplicate event not sent", metadata: [LogKey.eventID: "\(c.eventID)", LogKey.pixel: "\(c.pixel)",
                                                               LogKey.envelopeID: "\(c.envelopeID)", LogKey.outcome: "skipped_duplicate",
                                                               LogKey.reason: "\(why)"])
        }
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }
}
