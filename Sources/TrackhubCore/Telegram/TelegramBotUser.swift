/// What `getMe` answers: the bot itself. A successful `getMe` is the Bot API's "this token
/// works" check (reference §4.2), used by the pool health check.
public struct TelegramBotUser: Sendable, Equatable {
    public let id: Int64
    public let isBot: Bool
    public let firstName: String
    public let username: String?

    public init(id: Int64, isBot: Bool, firstName: String, username: String?) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.username = username
    }

    init?(_ json: JSONValue) {
        guard let id = json["id"].flatMap(TelegramReply.int64) else { return nil }
        self.init(id: id, isBot: TelegramReply.bool(json["is_bot"]) ?? false,
                  firstName: TelegramReply.string(json["first_name"]) ?? "",
                  username: TelegramReply.string(json["username"]))
    }
}
