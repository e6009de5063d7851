/// Telegram bot updates: Telegram sends the `secret_token` given to `setWebhook` in
/// `X-Telegram-Bot-Api-Secret-Token` with every update (reference §4.1). A shared token in
/// clear, so the best check is a constant-time comparison.
extension WebhookAuthenticator {
    /// The header Telegram puts the webhook's secret token in.
    public static let telegramSecretHeader = "X-Telegram-Bot-Api-Secret-Token"

    static func verifyTelegram(headers: (String) -> String?, secrets: [String]) -> WebhookAuthResult {
        guard let token = headers(telegramSecretHeader), !token.isEmpty else { return .rejected(reason: .missingSignature) }
        return matchesAnySecret(token, secrets) ? .ok : .rejected(reason: .badSignature)
    }
}
