/// One Telegram user of one tenant, as events name them: the key a bot's server-to-server event
/// (`/s2s` with `telegram_user_id`) is resolved by to the click of that user's latest `/start`
/// (``TelegramBotUserStore/latestClicks(_:connection:)``).
public struct TelegramUserKey: Sendable, Hashable {
    public var tenant: String
    /// ``TelegramUserIdentity/externalID(userID:)`` of the user.
    public var userHash: String

    public init(tenant: String, userHash: String) {
        self.tenant = tenant
        self.userHash = userHash
    }
}
