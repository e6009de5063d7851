/// Why something was dead-lettered. Stable strings: `dispatchd dlq list --reason R` filters on them.
public enum DeadLetterReason: String, Sendable, CaseIterable, Codable {
    /// The stream entry could not be decoded as an envelope (or its payload was gone).
    case unparseable
    /// Meta rejected the event as invalid (code 100 / 2804xxx), isolated by splitting the batch.
    case invalid
    /// Validation before sending found the event malformed (required fields missing …).
    case validation
    /// Older than Meta's 7-day window: never sent.
    case expired
    /// Retries exhausted for a transient failure.
    case retriesExhausted = "retries_exhausted"
    /// Meta refused the token/permissions for good (only after an operator gave up on the pixel).
    case permission
    /// No pixel is configured for the event's tenant.
    case noPixel = "no_pixel"
    /// Postgres refused to store the ledger row of an attempt that had already happened (the
    /// detail says its outcome: `sent` means Meta has the event). Isolated by halving the rows
    /// to record; the other rows were stored. Never replayed: that would send the event again.
    case unrecordable
    /// The stream entry was delivered more than `TRACKHUB_MAX_DELIVERIES` times without being
    /// acknowledged: it keeps stopping the workers that take it (``DeliveryCap``).
    case deliveryCap = "delivery_cap"
    /// A bot update could not be relayed to the bot's own backend (`settings.forward_url`):
    /// the retry budget ran out, or the bot has no usable forward URL. Replay queues it again.
    case telegramForward = "telegram_forward"
}

/// One dead letter: the reason, a human detail (Meta's message), and what is needed to replay.
public struct DeadLetter: Sendable, Equatable {
    public var reason: DeadLetterReason
    public var detail: String
    /// The envelope id, when known.
    public var envelopeID: String?
    /// `stream/entry-id` for unparseable stream entries (replay re-appends the payload there).
    public var streamEntry: String?
    /// The `OutboundEvent` JSON for events, or the raw envelope text for unparseable entries.
    public var payload: String?
    public var eventID: String?
    public var pixel: String?

    public init(reason: DeadLetterReason, detail: String, envelopeID: String? = nil, streamEntry: String? = nil,
                payload: String? = nil, eventID: String? = nil, pixel: String? = nil) {
        self.reason = reason; self.detail = detail; self.envelopeID = envelopeID; self.streamEntry = streamEntry
        self.payload = payload; self.eventID = eventID; self.pixel = pixel
    }
}

extension DeadLetter {
    /// A dead letter that keeps `envelope` whole (its sealed values still sealed), so
    /// `dispatchd dlq replay` can put it back in its stream once the cause is gone: a webhook
    /// parser fix, or the key that opens its body added to a worker's key file (a key rolled out
    /// in the wrong order, docs/CONFIGURATION.md). Without the payload such a sale was lost.
    public static func envelope(_ envelope: Envelope, reason: DeadLetterReason, detail: String) -> DeadLetter {
        DeadLetter(reason: reason, detail: detail, envelopeID: envelope.id,
                   payload: (try? envelope.encoded()).map { String(decoding: $0, as: UTF8.self) })
    }

    /// The dead letter that stands for a ledger row Postgres refused (``DeadLetterReason/unrecordable``):
    /// the attempt's outcome and Meta's answer in the detail, the event as built as the payload
    /// (not an `OutboundEvent`, so `dlq replay` reports it unreplayable instead of resending).
    public static func unrecordable(_ entry: LedgerEntry, refusal: any Error) -> DeadLetter {
        var detail = "postgres refused the ledger row: outcome \(entry.outcome.rawValue), attempt \(entry.attempt)"
        if let status = entry.httpStatus { detail += ", http \(status)" }
        if let request = entry.requestID { detail += ", request \(request)" }
        detail += "; \(refusal)"
        return DeadLetter(reason: .unrecordable, detail: detail, envelopeID: entry.envelopeID, payload: entry.payload,
                          eventID: entry.eventID, pixel: entry.pixel)
    }

    /// This dead letter reduced to what cannot be the reason Postgres refused it: reason, ids and a
    /// short detail, no payload — the last resort before the batch has to wait.
    public func bare(refusal: any Error) -> DeadLetter {
        DeadLetter(reason: reason, detail: String("\(detail.prefix(500)) (payload dropped: \(refusal))".prefix(1000)),
                   envelopeID: envelopeID, streamEntry: streamEntry, payload: nil, eventID: eventID, pixel: pixel)
    }
}
