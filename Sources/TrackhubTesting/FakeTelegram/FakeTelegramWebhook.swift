/// A bot's webhook as the fake keeps it: what `setWebhook` set and how pushes went.
public struct FakeTelegramWebhook: Sendable, Equatable {
    public var url: String
    public var secretToken: String?
    public var allowedUpdates: [String]?
    public var maxConnections: Int
    /// Pushes that did not get a 2xx since the last one that did.
    public var pendingUpdateCount = 0
    public var lastErrorDate: Int?
    public var lastErrorMessage: String?
}
