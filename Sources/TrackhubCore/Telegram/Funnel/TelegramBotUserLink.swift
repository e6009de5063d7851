public import Foundation

/// A bot user tied to the click that brought them (table `telegram_bot_users`, migration 9).
///
/// Written when a `/start <click id>` finds its click, so what that person does later in the bot
/// — a lead or checkout the bot reports, a sale closed in the chat — can carry the click's
/// identity (fbc, fbp, IP, user agent) although it never passes through a browser. The user is
/// kept only as ``TelegramUserIdentity/externalID(userID:)`` (the hash Meta gets), never as
/// their Telegram id. The latest `/start` wins: a person who comes back through a new ad is
/// attributed to that newer click.
public struct TelegramBotUserLink: Sendable, Equatable {
    public var tenant: String
    /// The bot's username (its account name in the configuration).
    public var bot: String
    /// ``TelegramUserIdentity/externalID(userID:)`` of the user.
    public var userHash: String
    public var clickID: String
    /// The click's touchpoint row.
    public var touchpointID: Int64?
    /// The `/start` update's envelope.
    public var envelopeID: String
    /// When the person sent `/start`.
    public var startedAt: Date

    public init(tenant: String, bot: String, userHash: String, clickID: String, touchpointID: Int64?, envelopeID: String,
                startedAt: Date) {
        self.tenant = tenant
        self.bot = bot
        self.userHash = userHash
        self.clickID = clickID
        self.touchpointID = touchpointID
        self.envelopeID = envelopeID
        self.startedAt = startedAt
    }
}
