import Testing
@testable import TrackhubCore

/// A bot account's `settings`: read with defaults, and every mistake reported when configuration
/// is written.
@Suite("TelegramBotSettings")
struct TelegramBotSettingsTests {
    @Test func defaultsAndReading() {
        #expect(TelegramBotSettings([:]) == TelegramBotSettings(event: "ViewContent"))
        let read = TelegramBotSettings([
            "event": .string("Lead"), "register_webhook": .bool(true),
            "webhook_url": .string("https://t.example/webhooks/telegram/acme_bot"), "forward_url": .string("https://bot.example/tg"),
        ])
        #expect(read == TelegramBotSettings(event: "Lead", webhookURL: "https://t.example/webhooks/telegram/acme_bot",
                                            registerWebhook: true, forwardURL: "https://bot.example/tg"))
        #expect(TelegramBotSettings(["event": .string("Purchase")]).event == "ViewContent")
    }

    @Test func problemsNameTheKey() {
        #expect(TelegramBotSettings.problems(["event": .string("Lead"), "forward_url": .string("http://127.0.0.1:7601/x")]).isEmpty)
        let keys = TelegramBotSettings.problems([
            "event": .string("Purchase"), "forward_url": .string("http://bot.example/tg"), "register_webhook": .string("yes"),
            "colour": .string("blue"),
        ]).map(\.key)
        #expect(keys == ["colour", "event", "forward_url", "register_webhook"])
        #expect(TelegramBotSettings.problems(["register_webhook": .bool(true)]).map(\.key) == ["register_webhook"])
    }
}
