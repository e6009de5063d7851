/// What the dedupe decision makes of a batch's candidate events (``SendPlan/init(candidates:dedupe:holdDueMs:)``):
/// per-pixel sends, sales held for a late click, and duplicates that are never sent.
///
/// Only events the envelope owns are sent (a redelivery re-sends the same event_id unless the
/// ledger shows it sent), and each event once per batch: the same sale from two webhooks, or
/// two copies of one envelope, can arrive in the same read.
public struct SendPlan: Sendable {
    /// Events to send, by pixel, pixels in the order first seen.
    public var pixels: [(pixel: String, events: [OutboundEvent])] = []
    /// Sales whose click is still queued: registered (so redeliveries are skipped) and put in
    /// the retry schedule at this due time (Unix ms), sent once the click is stored or the hold ends.
    public var held: [(event: OutboundEvent, dueMs: Int64)] = []
    /// Events not sent, and why: `another envelope`, `already sent`, `repeated in batch`.
    public var duplicates: [(event: OutboundEvent, why: String)] = []

    /// - Parameter holdDueMs: when a held sale is first rechecked (capped by its hold's deadline).
    public init(candidates: [OutboundEvent], dedupe: DispatchStore.DedupeDecision, holdDueMs: Int64) {
        var taken = Set<String>()
        var index: [String: Int] = [:]
        for c in candidates {
            if dedupe.mayBeSent(c), taken.insert(c.key).inserted {
                if let hold = c.hold {
                    held.append((c, min(holdDueMs, hold.deadlineMs)))
                } else if let i = index[c.pixel] {
                    pixels[i].events.append(c)
                } else {
                    index[c.pixel] = pixels.count
                    pixels.append((c.pixel, [c]))
                }
            } else {
                let why = dedupe.owner[c.key] != c.envelopeID ? "another envelope"
                    : dedupe.alreadySent.contains(c.key) ? "already sent" : "repeated in batch"
                duplicates.append((c, why))
            }
        }
    }

    /// Ledger rows: `held` (with the click ids waited for) and `skipped_duplicate`.
    public var ledger: [LedgerEntry] {
        held.map { h in
            LedgerEntry(event: h.event, attempt: 1, outcome: .held,
                        metaMessage: "waiting for click \(h.event.hold?.clickIDs.joined(separator: ",") ?? "")")
        } + duplicates.map { LedgerEntry(event: $0.event, attempt: 1, outcome: .skippedDuplicate, includePayload: false) }
    }

    /// The result of the decisions made here (ledger rows, held events scheduled).
    public var result: SendResult {
        var r = SendResult()
        r.ledger = ledger
        r.schedule = held.map { ($0.event, $0.dueMs) }
        return r
    }
}
