/// An event accepted `count` (> 1) times: same pixel + event_name + event_id.
public struct FakeMetaDuplicate: Sendable, Hashable {
    struct Key: Hashable {
        let pixel: String
        let eventName: String
        let eventID: String
    }

    public let pixel: String
    public let eventName: String
    public let eventID: String
    public let count: Int

    public init(pixel: String, eventName: String, eventID: String, count: Int) {
        self.pixel = pixel
        self.eventName = eventName
        self.eventID = eventID
        self.count = count
    }
}
