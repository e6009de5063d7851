/// The parameters of `setWebhook` Trackhub uses (reference §4.1).
///
/// `secretToken` is what Telegram then sends in `X-Telegram-Bot-Api-Secret-Token` with every
/// update, the only proof an update came from Telegram: 1–256 of `A-Z a-z 0-9 _ -`.
public struct TelegramWebhookSettings: Sendable, Equatable {
    public var url: String
    public var secretToken: String?
    /// nil: keep Telegram's previous setting; empty: every type except `chat_member`.
    public var allowedUpdates: [String]?
    /// 1–100 (Telegram's default 40).
    public var maxConnections: Int?
    public var dropPendingUpdates: Bool

    public init(url: String, secretToken: String?, allowedUpdates: [String]? = nil, maxConnections: Int? = nil,
                dropPendingUpdates: Bool = false) {
        self.url = url
        self.secretToken = secretToken
        self.allowedUpdates = allowedUpdates
        self.maxConnections = maxConnections
        self.dropPendingUpdates = dropPendingUpdates
    }

    /// Whether `token` is a secret Telegram accepts: 1–256 of `A-Z a-z 0-9 _ -`.
    public static func isValidSecretToken(_ token: String) -> Bool {
        (1...256).contains(token.utf8.count) && token.allSatisfy(TelegramBotToken.isTokenCharacter)
    }

    /// The JSON body of `setWebhook`.
    func body() -> [UInt8] {
        var w = JSONWriter(profile: .stored)
        var members: [JSONWriter.Member] = [("url", { $0.string(url) })]
        if let secretToken { members.append(("secret_token", { $0.string(secretToken) })) }
        if let allowedUpdates { members.append(("allowed_updates", { $0.array(allowedUpdates) })) }
        if let maxConnections { members.append(("max_connections", { $0.int(maxConnections) })) }
        if dropPendingUpdates { members.append(("drop_pending_updates", { $0.bool(true) })) }
        w.object(members)
        return w.bytes
    }
}
