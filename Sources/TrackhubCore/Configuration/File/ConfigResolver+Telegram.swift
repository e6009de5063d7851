/// Checks of a Telegram bot account (`gateway: telegram`): the account is the bot's username,
/// the secret is what `setWebhook` registers (Telegram's alphabet), the settings are the bot's.
extension ConfigResolver {
    func checkTelegramBot(_ account: TrackhubConfigFile.GatewayAccount, secrets: [String]?, apiToken: String?, path: String,
                          _ out: Collector) {
        if !account.account.isEmpty, !WeightedBot.isValidUsername(account.account) {
            out.error("\(path).account", "a Telegram bot's account is its username: 5–32 of A–Z, a–z, 0–9 and _")
        }
        for secret in secrets ?? [] where !TelegramWebhookSettings.isValidSecretToken(secret) {
            out.error(path, "a Telegram webhook secret must be 1–256 characters of A–Z, a–z, 0–9, '_' and '-'")
            break
        }
        if let apiToken, !TelegramBotToken(apiToken).isWellFormed {
            out.error(path, "the API token of a Telegram bot is its BotFather token (<digits>:<secret>)")
        }
        let settings = account.settings?.objectValue ?? [:]
        for problem in TelegramBotSettings.problems(settings) {
            out.error("\(path).settings.\(problem.key)", problem.message)
        }
        if settings["register_webhook"] == .bool(true), apiToken == nil {
            out.error("\(path).settings.register_webhook", "needs api_token_env or api_token_file (the bot token) to call setWebhook")
        }
    }
}
