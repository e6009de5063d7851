/// What `setWebhook` call a bot's configuration asks for (`register_webhook: true`), decided
/// from the account alone — pure, so every refusal is unit-tested.
///
/// The call: the bot's `webhook_url` (its `/webhooks/telegram/{bot}` URL on ingestd), the first
/// of the account's webhook secrets as `secret_token` (what ingestd checks in
/// `X-Telegram-Bot-Api-Secret-Token`) and `allowed_updates`:
/// - with a `forward_url`, nil — Telegram keeps the bot's previous subscription, so the seller's
///   backend keeps receiving every kind of update it asked for;
/// - without, `["message"]` — the only kind Trackhub reads (`/start`).
public enum TelegramWebhookPlan: Sendable, Equatable {
    case register(bot: String, token: TelegramBotToken, settings: TelegramWebhookSettings)
    /// Not registered, and why (pt-BR first, English after).
    case refused(bot: String, reason: InsightText)

    /// The update kinds Trackhub itself reads.
    public static let trackhubUpdates = ["message"]

    /// - Parameter secret: the account's first webhook secret, opened; nil when there is none or it cannot be opened.
    /// - Parameter allowLoopbackHTTP: accept `http://127.0.0.1…` as `webhook_url` (tests and the
    ///   local fake only; Telegram itself delivers only to https).
    public static func plan(_ account: DispatchConfig.GatewayAccount, secret: String?, allowLoopbackHTTP: Bool = false) -> TelegramWebhookPlan {
        let bot = account.account
        let settings = TelegramBotSettings(account.settings)
        guard let url = settings.webhookURL else {
            return .refused(bot: bot, reason: InsightText(
                "falta settings.webhook_url (o endereço /webhooks/telegram/\(bot) do seu Trackhub)",
                en: "settings.webhook_url is missing (your Trackhub's /webhooks/telegram/\(bot) URL)"))
        }
        guard OutboundURLRule.problem(url, allowLoopbackHTTP: allowLoopbackHTTP) == nil else {
            return .refused(bot: bot, reason: InsightText(
                "o Telegram só entrega em https://: settings.webhook_url precisa ser https",
                en: "Telegram only delivers to https://: settings.webhook_url must be https"))
        }
        guard let token = account.apiToken.map(TelegramBotToken.init), token.isWellFormed else {
            return .refused(bot: bot, reason: InsightText(
                "falta o token do bot (api_token_env ou api_token_file, o token do @BotFather)\(account.apiTokenProblem.map { ": \($0)" } ?? "")",
                en: "the bot token is missing (api_token_env or api_token_file, the @BotFather token)\(account.apiTokenProblem.map { ": \($0)" } ?? "")"))
        }
        guard let secret, TelegramWebhookSettings.isValidSecretToken(secret) else {
            return .refused(bot: bot, reason: InsightText(
                "falta o token secreto do webhook (secret_env), 1 a 256 caracteres A–Z a–z 0–9 _ -",
                en: "the webhook secret token (secret_env) is missing: 1–256 of A–Z a–z 0–9 _ -"))
        }
        return .register(bot: bot, token: token, settings: TelegramWebhookSettings(
            url: url, secretToken: secret, allowedUpdates: settings.forwardURL == nil ? trackhubUpdates : nil))
    }
}
