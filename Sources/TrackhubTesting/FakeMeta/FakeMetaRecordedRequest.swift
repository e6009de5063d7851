public import Foundation

/// One request to the events edge, as the fake saw and answered it. Never holds the token.
public struct FakeMetaRecordedRequest: Sendable {
    /// Arrival order, starting at 1.
    public let sequence: Int
    public let apiVersion: String
    public let pixel: String
    /// `FakeMeta.tokenFingerprint(token)`; nil when no token was sent.
    public let tokenFingerprint: String?
    /// Last 4 characters of the token (never the token itself); nil when none was sent.
    public let tokenLast4: String?
    public let testEventCode: String?
    /// Elements of `data` (0 when it was missing or not an array).
    public let eventCount: Int
    /// The `event_id`s present in `data`, in order.
    public let eventIDs: [String]
    /// HTTP status answered.
    public let status: Int
    /// Graph `error.code` / `error.error_subcode` when the answer was a Graph error.
    public let errorCode: Int?
    public let errorSubcode: Int?
    public let fbtraceID: String
    /// When the request arrived, and when its answer was ready (after any `.delay`).
    public let receivedAt: Date
    public let answeredAt: Date

    public var accepted: Bool { status == 200 }
}
