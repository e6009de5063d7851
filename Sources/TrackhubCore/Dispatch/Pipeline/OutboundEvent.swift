/// One event on its way to Meta: the built CAPI event JSON plus what the dispatcher needs to
/// route, retry, dedupe and record it. Serialised into the retry schedule and the DLQ, so a
/// retry re-sends exactly the bytes first built (same `event_id`).
public struct OutboundEvent: Codable, Sendable, Equatable {
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
    /// The CAPI event object as JSON text.
    public var eventJSON: String
    /// Set while a sale event waits for a click that is not stored yet (never sent while set).
    public var hold: LateClickHold?

    public init(pixel: String, eventName: String, eventID: String, envelopeID: String, conversionID: Int64? = nil,
                eventTime: Int64, attempts: Int = 0, eventJSON: String, hold: LateClickHold? = nil) {
        self.pixel = pixel
        self.eventName = eventName
        self.eventID = eventID
        self.envelopeID = envelopeID
        self.conversionID = conversionID
        self.eventTime = eventTime
        self.attempts = attempts
        self.eventJSON = eventJSON
        self.hold = hold
    }

    /// The deterministic identity of this send: scheduling it twice overwrites, never duplicates.
    public var key: String { "\(pixel)|\(eventName)|\(eventID)" }
}
