/// One event the fake accepted, as it arrived.
public struct FakeMetaAcceptedEvent: Sendable {
    public let pixel: String
    public let eventName: String
    public let eventID: String?
    public let eventTime: Int
    public let actionSource: String
    public let testEventCode: String?
    /// `sequence` of the request that carried it.
    public let requestSequence: Int
    /// The whole event object exactly as received.
    public let json: FakeJSON

    /// `json[key]`, e.g. `event["user_data"]?["em"]`.
    public subscript(key: String) -> FakeJSON? { json[key] }
}
