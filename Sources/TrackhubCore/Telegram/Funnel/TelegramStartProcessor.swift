import Foundation
import Logging
import Metrics

/// The imperative shell around ``TelegramStartDecision``: turns a batch's Telegram bot updates
/// (`/webhooks/telegram/{bot}`, already stored in the webhook inbox) into funnel events.
///
/// Opens each body, reads it (``TelegramStartUpdate``), looks the payloads' clicks up in one
/// query, decides, then in one transaction stores the bot user ↔ click links and each update's
/// inbox outcome. Events go back to the pipeline, which registers them for dedupe (so the
/// event id derived from the update makes every redelivery a `skipped_duplicate`), holds the
/// ones waiting for a late click and sends the rest. Throws only when Postgres fails: nothing
/// is acknowledged and the batch is processed again, which the upsert and the dedupe registry
/// make safe.
struct TelegramStartProcessor: Sendable {
    let keys: KeyRing
    let postgres: PostgresPool
    let logger: Logger
    let decision: TelegramStartDecision

    /// What the batch's updates produced.
    struct Outcome: Sendable {
        var events: [OutboundEvent] = []
        var deadLetters: [DeadLetter] = []
    }

    /// One update after reading, before the click lookup.
    private enum Read {
        case start(Envelope, TelegramStartUpdate)
        case done(envelopeID: String, outcome: String)
    }

    func process(_ updates: [Envelope], config: DispatchConfig, now: Date) async throws -> Outcome {
        var out = Outcome()
        var reads: [Read] = []
        for envelope in updates {
            guard let w = envelope.webhook else { continue }
            let body: [UInt8]
            do {
                body = Array(try keys.open(w.body, for: .webhookBody(tenant: envelope.tenant, envelope: envelope.id)))
            } catch {
                out.deadLetters.append(.envelope(envelope, reason: .unparseable, detail: "telegram update body cannot be opened: \(error)"))
                continue
            }
            switch TelegramStartUpdate.read(body) {
            case .start(let start):
                reads.append(.start(envelope, start))
            case .notStart(let reason):
                reads.append(.done(envelopeID: envelope.id, outcome: "ignored: \(reason)"))
                count("not_start")
            case .malformed(let reason):
                reads.append(.done(envelopeID: envelope.id, outcome: "dead_lettered: \(reason)"))
                out.deadLetters.append(.envelope(envelope, reason: .unparseable, detail: "telegram webhook: \(reason)"))
            }
        }
        let clickIDs = reads.compactMap { read -> String? in
            if case .start(_, let start) = read, let payload = start.payload, ClickID.isValid(payload) { return payload }
            return nil
        }
        var inbox: [(envelopeID: String, outcome: String)] = []
        var links: [TelegramBotUserLink] = []
        let clicks = clickIDs.isEmpty ? [:] : try await postgres.withConnection { try DispatchStore().clicks(ids: clickIDs, connection: $0) }
        for read in reads {
            switch read {
            case .done(let id, let outcome):
                inbox.append((id, outcome))
            case .start(let envelope, let start):
                let w = envelope.webhook
                let account = config.gatewayAccount(gateway: Gateway.telegram.rawValue, account: w?.account ?? "")
                let pixel = account.flatMap { config.pixel(tenant: $0.tenant, preferred: $0.pixel) }
                let received = Date(timeIntervalSince1970: Double(envelope.receivedAt) / 1000)
                let outcome = decision.decide(start, envelopeID: envelope.id, receivedAt: received, account: account, pixel: pixel,
                                              clicks: clicks, now: now)
                var meta: Logger.Metadata = [
                    LogKey.envelopeID: "\(envelope.id)", LogKey.account: "\(w?.account ?? "-")",
                    LogKey.telegramUpdateID: "\(start.updateID)",
                ]
                if let payload = start.payload, ClickID.isValid(payload) { meta[LogKey.clickID] = "\(payload)" }
                switch outcome {
                case .ignored(let reason):
                    inbox.append((envelope.id, "ignored: \(reason)"))
                    meta[LogKey.reason] = "\(reason)"
                    logger.info("bot /start not sent", metadata: meta)
                    count("ignored")
                case .noPixel(let letter):
                    inbox.append((envelope.id, "dead_lettered: \(letter.detail)"))
                    out.deadLetters.append(letter)
                    count("no_pixel")
                case .send(let event, let link):
                    inbox.append((envelope.id, "telegram start: \(event.eventName)"))
                    links.append(link)
                    out.events.append(event)
                    meta[LogKey.eventID] = "\(event.eventID)"
                    meta[LogKey.eventName] = "\(event.eventName)"
                    logger.info("bot /start matched its click", metadata: meta)
                    count("matched")
                case .held(let event):
                    inbox.append((envelope.id, "telegram start: \(event.eventName) held for its click"))
                    out.events.append(event)
                    meta[LogKey.eventID] = "\(event.eventID)"
                    logger.info("bot /start waits for its click", metadata: meta)
                    count("held")
                }
            }
        }
        try await postgres.withConnection { [links, inbox] conn in
            try conn.transaction { tx in
                try TelegramBotUserStore().upsert(links, connection: tx)
                try SalesStore().markInboxes(inbox, connection: tx)
            }
        }
        return out
    }

    private func count(_ outcome: String) {
        Counter(label: "trackhub_telegram_starts_total", dimensions: [("outcome", outcome)]).increment()
    }
}
