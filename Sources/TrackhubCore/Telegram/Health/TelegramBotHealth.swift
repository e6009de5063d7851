public import Foundation

/// One pool bot's health as the checker last judged it (``TelegramBotHealthDecision``), kept in
/// Redis (``TelegramPoolHealth``) so ingestd skips a dead bot, the alerts see since when, and an
/// instance that takes the lease over continues the count instead of starting from zero.
public struct TelegramBotHealth: Sendable, Equatable {
    /// The bot's username (without `@`), as the link's pool names it.
    public var bot: String
    /// The tenant whose link (and gateway account) holds the bot: who hears the alert.
    public var tenant: String?
    public var status: TelegramBotStatus
    /// When ``status`` began (the first failure that made it dead; the recovery).
    public var since: Date
    /// Failed checks in a row (0 after a success).
    public var consecutiveFailures: Int
    /// Why the last check failed (`unauthorized`, `not_found`, `transport`, …, `no_token`), or
    /// nil after a success. A ``TelegramError/Kind`` name: never a token or a message.
    public var reason: String?
    /// Something wrong with the bot's webhook (``TelegramWebhookCheck``); does not take the bot
    /// out of rotation (people still reach it) but is logged and shown.
    public var webhookProblem: String?
    public var checkedAt: Date

    public init(bot: String, tenant: String?, status: TelegramBotStatus, since: Date, consecutiveFailures: Int = 0,
                reason: String? = nil, webhookProblem: String? = nil, checkedAt: Date) {
        self.bot = bot
        self.tenant = tenant
        self.status = status
        self.since = since
        self.consecutiveFailures = consecutiveFailures
        self.reason = reason
        self.webhookProblem = webhookProblem
        self.checkedAt = checkedAt
    }
}
