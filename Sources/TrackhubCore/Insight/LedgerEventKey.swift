/// One event in the ledger: Meta deduplicates on pixel + event name + event id, and so does
/// Trackhub's dedupe registry, so every attempt with the same three is the same event.
public struct LedgerEventKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var pixel: String
    public var eventName: String
    public var eventID: String

    public init(pixel: String, eventName: String, eventID: String) {
        self.pixel = pixel
        self.eventName = eventName
        self.eventID = eventID
    }

    public static func < (a: LedgerEventKey, b: LedgerEventKey) -> Bool {
        (a.pixel, a.eventName, a.eventID) < (b.pixel, b.eventName, b.eventID)
    }

    public var description: String { "\(pixel)/\(eventName)/\(eventID)" }
}
