/// What `getWebhookInfo` answers (reference §4.1): where Telegram delivers the bot's updates
/// and how that is going. Health = the URL is ours, few pending updates, no recent error.
public struct TelegramWebhookInfo: Sendable, Equatable {
    /// Empty when no webhook is set.
    public let url: String
    public let pendingUpdateCount: Int
    /// Unix time of the last failed delivery, if any.
    public let lastErrorDate: Int?
    public let lastErrorMessage: String?
    public let maxConnections: Int?
    public let allowedUpdates: [String]?

    public init(url: String, pendingUpdateCount: Int, lastErrorDate: Int? = nil, lastErrorMessage: String? = nil,
                maxConnections: Int? = nil, allowedUpdates: [String]? = nil) {
        self.url = url
        self.pendingUpdateCount = pendingUpdateCount
        self.lastErrorDate = lastErrorDate
        self.lastErrorMessage = lastErrorMessage
        self.maxConnections = maxConnections
        self.allowedUpdates = allowedUpdates
    }

    init?(_ json: JSONValue) {
        guard let url = TelegramReply.string(json["url"]) else { return nil }
        self.init(url: url, pendingUpdateCount: json["pending_update_count"].flatMap(TelegramReply.int) ?? 0,
                  lastErrorDate: json["last_error_date"].flatMap(TelegramReply.int),
                  lastErrorMessage: TelegramReply.string(json["last_error_message"]),
                  maxConnections: json["max_connections"].flatMap(TelegramReply.int),
                  allowedUpdates: json["allowed_updates"]?.stringElements)
    }
}
