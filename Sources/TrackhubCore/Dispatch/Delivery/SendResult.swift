/// Everything a send (or a decision not to send) produced, to be made durable before the
/// stream entries or retry leases behind it are acknowledged.
public struct SendResult: Sendable {
    public var ledger: [LedgerEntry] = []
    public var deadLetters: [DeadLetter] = []
    /// Events to try again at a due time (Unix ms).
    public var schedule: [(OutboundEvent, Int64)] = []
    /// Events waiting for a new token.
    public var park: [OutboundEvent] = []
    /// Events that are finished (sent, dry-run recorded, or dead-lettered).
    public var finished: [OutboundEvent] = []

    public init() {}

    public mutating func merge(_ other: SendResult) {
        ledger += other.ledger
        deadLetters += other.deadLetters
        schedule += other.schedule
        park += other.park
        finished += other.finished
    }

    public mutating func deadLetter(_ e: OutboundEvent, reason: DeadLetterReason, detail: String, attempt: Int,
                                    httpStatus: Int? = nil, failure: MetaFailure? = nil, requestID: String? = nil, latencyMs: Int? = nil) {
        ledger.append(LedgerEntry(event: e, attempt: attempt, outcome: .deadLettered, requestID: requestID,
                                  httpStatus: httpStatus ?? failure?.httpStatus, metaCode: failure?.code,
                                  metaSubcode: failure?.subcode, metaMessage: failure?.message ?? detail,
                                  fbtraceID: failure?.fbtraceID, latencyMs: latencyMs))
        var stored = e
        stored.attempts = attempt
        let payload = (try? String(decoding: OutboundEvent.jsonEncoder.encode(stored), as: UTF8.self))
        deadLetters.append(DeadLetter(reason: reason, detail: detail, envelopeID: e.envelopeID, payload: payload,
                                      eventID: e.eventID, pixel: e.pixel))
        finished.append(e)
    }
}

import Foundation

extension OutboundEvent {
    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}
