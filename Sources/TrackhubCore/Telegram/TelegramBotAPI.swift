/// The Telegram Bot API calls Trackhub makes, behind a protocol so decisions that use them
/// (pool health, webhook registration, alert delivery) are tested with the fake server or a
/// stub, and the one real implementation is ``CurlTelegramClient``.
///
/// Every call takes the bot's token: one process talks for many bots (a pool per link, an
/// alert bot per tenant).
public protocol TelegramBotAPI: Sendable {
    /// The bot behind `token`; fails `.unauthorized` when the token was revoked or the bot deleted.
    func getMe(token: TelegramBotToken) async throws(TelegramError) -> TelegramBotUser
    /// Points the bot's updates at `settings.url` (with the secret header Telegram will send).
    func setWebhook(token: TelegramBotToken, _ settings: TelegramWebhookSettings) async throws(TelegramError)
    func getWebhookInfo(token: TelegramBotToken) async throws(TelegramError) -> TelegramWebhookInfo
    func deleteWebhook(token: TelegramBotToken, dropPendingUpdates: Bool) async throws(TelegramError)
    /// Sends a message; returns its `message_id`.
    @discardableResult
    func sendMessage(token: TelegramBotToken, _ message: TelegramOutgoingMessage) async throws(TelegramError) -> Int64
}
