public import Foundation

/// One event on its way to Meta: the typed CAPI event plus what the dispatcher needs to route,
/// retry, dedupe and record it. The event stays a value until it is serialised at the edge (the
/// request body, the ledger's payload); a late click patches its fields, never its JSON.
///
/// Stored in the retry schedule, the parked sets and dead letters (`Codable`): the event as a
/// nested object in Meta's JSON shape, which decodes back to a value that serialises to the
/// same bytes (same `event_id`). Entries written before the event was typed carried it as JSON
/// text under `eventJSON`; they still decode (an upgrade loses nothing in Redis or the DLQ).
public struct OutboundEvent: Sendable, Equatable {
    public var pixel: String
    public var eventName: String
    public var eventID: String
    /// The envelope that produced it (for the ledger and log correlation).
    public var envelopeID: String
    public var conversionID: Int64?
    /// Unix seconds of the event; Meta refuses events older than 7 days.
    public var eventTime: Int64
    /// Attempts already made (0 before the first send).
    public var attempts: Int
    /// How many of ``attempts`` Meta answered "throttled": they do not spend the retry budget
    /// (being told to wait says nothing about the event), only Meta's window bounds them.
    public var throttled: Int = 0
    /// The CAPI event, validated when it was built (and again after a late click patched it).
    public var event: CAPIEvent
    /// Set while a sale event waits for a click that is not stored yet (never sent while set).
    public var hold: LateClickHold?
    /// Identifiers that were given but dropped as invalid (``UserDataDrops``): the ledger
    /// notes them on every attempt row, names and reasons only.
    public var userDataDropped: [HashedUserData.Key] = []

    /// `eventName`, `eventID` (the event's id, else the envelope id) and `eventTime` from `event`.
    public init(pixel: String, envelopeID: String, conversionID: Int64? = nil, attempts: Int = 0, event: CAPIEvent,
                hold: LateClickHold? = nil) {
        self.pixel = pixel
        self.eventName = event.eventName.rawValue
        self.eventID = event.eventId ?? envelopeID
        self.envelopeID = envelopeID
        self.conversionID = conversionID
        self.eventTime = Int64(event.eventTime)
        self.attempts = attempts
        self.event = event
        self.hold = hold
    }

    /// The deterministic identity of this send: scheduling it twice overwrites, never duplicates.
    public var key: String { "\(pixel)|\(eventName)|\(eventID)" }

    /// The event as sent to Meta (and recorded in the ledger). Throws only for a non-finite
    /// value, which validation refuses before an event is ever built into an `OutboundEvent`.
    public func eventJSON() throws -> Data { try event.jsonData() }
}

extension OutboundEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case pixel, eventName, eventID, envelopeID, conversionID, eventTime, attempts, throttled, event, hold, userDataDropped
        /// The event as JSON text: the shape written before the event was typed (read only).
        case eventJSON
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pixel = try c.decode(String.self, forKey: .pixel)
        eventName = try c.decode(String.self, forKey: .eventName)
        eventID = try c.decode(String.self, forKey: .eventID)
        envelopeID = try c.decode(String.self, forKey: .envelopeID)
        conversionID = try c.decodeIfPresent(Int64.self, forKey: .conversionID)
        eventTime = try c.decode(Int64.self, forKey: .eventTime)
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        throttled = try c.decodeIfPresent(Int.self, forKey: .throttled) ?? 0
        hold = try c.decodeIfPresent(LateClickHold.self, forKey: .hold)
        userDataDropped = (try c.decodeIfPresent([String].self, forKey: .userDataDropped) ?? []).compactMap(HashedUserData.Key.init(rawValue:))
        if let typed = try c.decodeIfPresent(CAPIEvent.self, forKey: .event) {
            event = typed
        } else {
            let text = try c.decode(String.self, forKey: .eventJSON)
            event = try JSONDecoder().decode(CAPIEvent.self, from: Data(text.utf8))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pixel, forKey: .pixel)
        try c.encode(eventName, forKey: .eventName)
        try c.encode(eventID, forKey: .eventID)
        try c.encode(envelopeID, forKey: .envelopeID)
        try c.encodeIfPresent(conversionID, forKey: .conversionID)
        try c.encode(eventTime, forKey: .eventTime)
        try c.encode(attempts, forKey: .attempts)
        if throttled > 0 { try c.encode(throttled, forKey: .throttled) }
        try c.encode(event, forKey: .event)
        try c.encodeIfPresent(hold, forKey: .hold)
        if !userDataDropped.isEmpty { try c.encode(userDataDropped.map(\.rawValue), forKey: .userDataDropped) }
    }
}
