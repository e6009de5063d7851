public import Foundation

/// One dead letter as the console lists it: why, what, and whether a replay would go through —
/// without its payload (an event with hashed user data, or a raw envelope).
public struct DeadLetterEntry: Sendable, Equatable {
    public var id: Int
    /// A ``DeadLetterReason`` raw value.
    public var reason: String
    /// Meta's message or the validator's finding.
    public var detail: String
    public var eventID: String?
    public var pixel: String?
    public var envelopeID: String?
    public var createdAt: Date?
    /// What a replay would do now: the same decision `dispatchd dlq replay` takes.
    public var replay: ReplayVerdict

    /// The replay decision, without the payload it was taken on.
    public enum ReplayVerdict: String, Sendable, Equatable {
        /// Would be scheduled (an event) or re-appended (an envelope).
        case replayable
        /// Older than Meta's 7-day window: refused (Meta would reject it).
        case expired
        /// Holds nothing to replay.
        case unreplayable

        init(_ step: DeadLetterAdmin.ReplayStep) {
            switch step {
            case .event, .streamEntry, .envelope, .telegramForward: self = .replayable
            case .refusedExpired: self = .expired
            case .unreplayable: self = .unreplayable
            }
        }
    }

    public init(id: Int, reason: String, detail: String, eventID: String?, pixel: String?, envelopeID: String?,
                createdAt: Date?, replay: ReplayVerdict) {
        self.id = id; self.reason = reason; self.detail = detail; self.eventID = eventID; self.pixel = pixel
        self.envelopeID = envelopeID; self.createdAt = createdAt; self.replay = replay
    }

    /// The entry for a row, with the replay decision of `admin` at `now`.
    public init(_ row: DeadLetterAdmin.Row, admin: DeadLetterAdmin, now: Date) {
        self.init(id: row.id, reason: row.reason, detail: row.detail, eventID: row.eventID, pixel: row.pixel,
                  envelopeID: row.envelopeID, createdAt: row.createdAt,
                  replay: ReplayVerdict(admin.plan(row, force: false, now: now)))
    }

    /// The reason in words.
    public var explanation: InsightText { DeadLetterExplanation.of(reason: reason) }
}
