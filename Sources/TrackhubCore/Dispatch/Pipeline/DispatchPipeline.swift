import Foundation
public import Logging
import Metrics

/// Processes a batch of stream entries end to end: decode, store touchpoints and webhooks,
/// build events, dedupe, send, record. Returns when every outcome is durable, so the caller
/// can XACK the entries. Throws (without acknowledging anything) when Postgres or Redis is
/// unavailable: the entries stay pending and are processed again; the dedupe registry makes
/// the rerun send each event at most once more, with the same event_id.
public struct DispatchPipeline: Sendable {
    public let interpreter: EnvelopeInterpreter
    public let sender: EventSender
    public let recorder: OutcomeRecorder
    public let postgres: PostgresPool
    public let logger: Logger
    /// Turns stored webhooks into conversions and Purchases (nil: webhooks are only stored).
    public let sales: SalesProcessor?
    private let store = DispatchStore()

    public init(interpreter: EnvelopeInterpreter, sender: EventSender, recorder: OutcomeRecorder,
                postgres: PostgresPool, logger: Logger, sales: SalesProcessor? = nil) {
        self.interpreter = interpreter
        self.sender = sender
        self.recorder = recorder
        self.postgres = postgres
        self.logger = logger
        self.sales = sales
    }

    public func process(_ entries: [StreamEntry], config: DispatchConfig) async throws {
        guard !entries.isEmpty else { return }
        var result = SendResult()
        var envelopes: [(StreamEntry, Envelope)] = []
        for entry in entries {
            guard let payload = entry.payload else {
                result.deadLetters.append(DeadLetter(reason: .unparseable, detail: "stream entry has no payload (trimmed or deleted)",
                                                     streamEntry: "\(entry.stream)/\(entry.id)"))
                continue
            }
            do {
                envelopes.append((entry, try Envelope.decode(payload)))
            } catch {
                result.deadLetters.append(DeadLetter(reason: .unparseable, detail: "envelope does not decode: \(Self.shortError(error))",
                                                     streamEntry: "\(entry.stream)/\(entry.id)",
                                                     payload: String(decoding: payload.prefix(65_536), as: UTF8.self)))
            }
        }

        // Hash personal data (in memory only) and store touchpoints and webhooks first: a later
        // event in this same batch can then find its click.
        var hashed: [String: HashedUserData] = [:]
        var usable: [Envelope] = []
        for (entry, e) in envelopes {
            do {
                if let h = try interpreter.hashedUser(e, tenant: config.tenants[e.tenant]) { hashed[e.id] = h }
                usable.append(e)
            } catch {
                result.deadLetters.append(DeadLetter(reason: .unparseable, detail: "user data cannot be opened: \(Self.shortError(error))",
                                                     envelopeID: e.id, streamEntry: "\(entry.stream)/\(entry.id)",
                                                     payload: String(decoding: entry.payload ?? [], as: UTF8.self)))
            }
        }
        let touchpoints = usable.compactMap { interpreter.touchpoint($0, hashed: hashed[$0.id]) }
        let webhooks = usable.filter { $0.kind == .webhook }
        let clickIDs = usable.compactMap { $0.track?.clickId }
        let clicks: [String: [ClickContext]] = try await postgres.withConnection { [store] conn in
            try conn.transaction { tx in
                try store.insertTouchpoints(touchpoints, connection: tx)
                try store.insertWebhooks(webhooks, connection: tx)
            }
            return try store.clicks(ids: clickIDs, connection: conn)
        }
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
        }
        // ... and funnel events from clicks and /track.
        for e in usable where e.kind != .webhook {
            do {
                // Only a click of the same tenant may lend its fbc/fbp/IP/UA.
                let click = e.track?.clickId.flatMap { clicks[$0]?.first { $0.tenant == e.tenant } }
                let i = try interpreter.interpret(e, config: config, click: click, hashed: hashed[e.id])
                candidates += i.events
                for blocked in i.consentBlocked {
                    result.ledger.append(LedgerEntry(event: blocked, attempt: 1, outcome: .consentBlocked))
                    logger.info("event not sent: consent declined", metadata: [LogKey.eventID: "\(blocked.eventID)",
                                                                              LogKey.envelopeID: "\(e.id)", LogKey.outcome: "consent_blocked"])
                }
                if let note = i.note, i.events.isEmpty, i.consentBlocked.isEmpty {
                    logger.debug("envelope stored, nothing to send", metadata: [LogKey.envelopeID: "\(e.id)", LogKey.reason: "\(note)"])
                }
            } catch let rejected as EnvelopeInterpreter.Rejected {
                result.deadLetters.append(DeadLetter(reason: rejected.reason, detail: rejected.detail, envelopeID: e.id,
                                                     payload: (try? e.encoded()).map { String(decoding: $0, as: UTF8.self) }))
            } catch {
                result.deadLetters.append(DeadLetter(reason: .unparseable, detail: Self.shortError(error), envelopeID: e.id,
                                                     payload: (try? e.encoded()).map { String(decoding: $0, as: UTF8.self) }))
            }
        }

        // Dedupe: only events this envelope owns are sent (a redelivery re-sends the same event_id
        // unless the ledger shows it sent), and each event once per batch: the same sale from two
        // webhooks, or two copies of one envelope, can arrive in the same read.
        let toRegister = candidates
        let dedupe = toRegister.isEmpty ? DispatchStore.DedupeDecision() : try await postgres.withConnection { [store] conn in
            try store.registerForDedupe(toRegister, connection: conn)
        }
        var byPixel: [String: [OutboundEvent]] = [:]
        let holdDue = Int64(Date().timeIntervalSince1970 * 1000) + (sales?.configuration.lateClickRecheck.wholeMilliseconds ?? 0)
        var taken = Set<String>()
        for c in candidates {
            if let hold = c.hold, dedupe.mayBeSent(c), taken.insert(c.key).inserted {
                // A sale whose click is still queued: registered (so redeliveries are skipped),
                // sent from the retry schedule once the click is stored or the hold ends.
                result.schedule.append((c, min(holdDue, hold.deadlineMs)))
                result.ledger.append(LedgerEntry(event: c, attempt: 1, outcome: .held,
                                                 metaMessage: "waiting for click \(hold.clickIDs.joined(separator: ","))"))
                logger.info("sale held for its late click", metadata: [
                    LogKey.eventID: "\(c.eventID)", LogKey.pixel: "\(c.pixel)", LogKey.envelopeID: "\(c.envelopeID)",
                    LogKey.clickID: "\(hold.clickIDs.joined(separator: ","))", LogKey.outcome: "held",
                ])
            } else if dedupe.mayBeSent(c), taken.insert(c.key).inserted {
                byPixel[c.pixel, default: []].append(c)
            } else {
                let why = dedupe.owner[c.key] != c.envelopeID ? "another envelope" : dedupe.alreadySent.contains(c.key) ? "already sent" : "repeated in batch"
                result.ledger.append(LedgerEntry(event: c, attempt: 1, outcome: .skippedDuplicate, includePayload: false))
                logger.info("duplicate event not sent", metadata: [LogKey.eventID: "\(c.eventID)", LogKey.pixel: "\(c.pixel)",
                                                                   LogKey.envelopeID: "\(c.envelopeID)", LogKey.outcome: "skipped_duplicate",
                                                                   LogKey.reason: "\(why)"])
            }
        }
        for (pixelID, events) in byPixel {
            guard let pixel = config.pixels[pixelID] else {
                for e in events { result.deadLetter(e, reason: .noPixel, detail: "pixel \(pixelID) is not configured", attempt: 1) }
                continue
            }
            result.merge(try await sender.send(events, pixel: pixel))
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
        }
        var byPixel: [String: [OutboundEvent]] = [:]
        for e in ready { byPixel[e.pixel, default: []].append(e) }
        for (pixelID, list) in byPixel {
            guard let pixel = config.pixels[pixelID] else {
                for e in list { result.deadLetter(e, reason: .noPixel, detail: "pixel \(pixelID) is not configured", attempt: e.attempts + 1) }
                continue
            }
            result.merge(try await sender.send(list, pixel: pixel))
        }
        try await recorder.record(result, fromRetrySchedule: true)
    }

    /// An error's description, bounded (decoding errors can quote input).
    static func shortError(_ error: any Error) -> String {
        if error is DecodingError { return "malformed JSON" }
        return String("\(error)".prefix(300))
    }
}
