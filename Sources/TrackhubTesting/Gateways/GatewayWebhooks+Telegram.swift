public import TrackhubCore

/// A Telegram bot update as Telegram delivers it to `/webhooks/telegram/{bot}` (reference §4.1,
/// §4.4): the update JSON with the webhook's secret token in `X-Telegram-Bot-Api-Secret-Token`.
extension GatewayWebhooks {
    /// A private-chat `/start <payload>` (just `/start` when `payload` is nil) from `userID`.
    public static func telegramStart(
        updateID: Int, userID: Int64, payload: String?, secret: String, bot: String, date: Int = 1_760_000_000
    ) -> GatewayDelivery {
        let text = payload.map { "/start \($0)" } ?? "/start"
        let update: FakeJSON = [
            "update_id": .int(updateID),
            "message": [
                "message_id": .int(updateID % 100_000 + 1),
                "from": ["id": .int(Int(userID)), "is_bot": false, "first_name": "Ana", "language_code": "pt-br"],
                "chat": ["id": .int(Int(userID)), "type": "private", "first_name": "Ana"],
                "date": .int(date),
                "text": .string(text),
                "entities": [["type": "bot_command", "offset": 0, "length": 6]],
            ],
        ]
        return GatewayDelivery(target: "/webhooks/telegram/\(bot)",
                               headers: [("Content-Type", "application/json"), (WebhookAuthenticator.telegramSecretHeader, secret)],
                               body: Array(update.jsonText.utf8))
    }
}
